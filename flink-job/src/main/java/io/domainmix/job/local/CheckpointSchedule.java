package io.domainmix.job.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Triggers a local job's checkpoints through the cluster's REST API, at the job's interval, but
 * only while every task runs.
 *
 * <p>Why not Flink's own timer: Flink 2.2 starts it when the job is scheduled, before the tasks
 * are deployed, so on a local cluster the first trigger (at a random point of the first interval)
 * often finds tasks still starting. Flink cannot trigger that checkpoint and counts it as failed.
 * A bounded run of a few seconds then ends with "1 failed" although nothing was wrong. Here the
 * first checkpoint waits for every task to run; after that, one is triggered an interval after
 * the newest checkpoint was triggered and half an interval (at least a second) after it ended.
 *
 * <p>At the end of a bounded input Flink takes the final checkpoint itself: once every task has
 * reached the end of its data, the scheduler triggers one ({@code SchedulerBase.notifyEndOfData};
 * it appears as a manual checkpoint that this schedule did not ask for), and the tasks close right
 * after it completes. A trigger that
 * lands while a task closes is declined as "task is closing" and counted as failed, and closing a
 * source took up to half a second. So after a checkpoint this schedule did not trigger it holds
 * off for {@link #holdAfterOthersMs}: a finished job is gone by then, and a live one (where only a
 * user's own trigger can cause this) misses a checkpoint or two. The other way round, a checkpoint
 * of this schedule that starts after the source has read all its input is the source's final
 * one; Flink's own must then not wait for it to complete ({@link #handOver}).
 *
 * <p>The job keeps checkpointing enabled (exactly-once sinks, the final checkpoint of a bounded
 * input, the tolerable failures, the restart strategy) with a periodic interval so long that
 * Flink's timer never fires ({@link #handOver}); the schedule here takes its place while the
 * command runs.
 */
public final class CheckpointSchedule implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Flink's own periodic interval while this schedule triggers: longer than any local run. */
    static final Duration FLINK_INTERVAL = Duration.ofDays(365);
    /** Task states in which Flink cannot take a checkpoint of the task. */
    static final List<String> NOT_READY = List.of("CREATED", "SCHEDULED", "DEPLOYING", "INITIALIZING",
            "RECONCILING", "CANCELING", "CANCELED", "FAILED");
    private static final long TICK_MS = 20;
    /** The least a schedule holds off after a checkpoint it did not trigger (see the class comment). */
    static final long MIN_HOLD_AFTER_OTHERS_MS = 3000;
    /**
     * The least a schedule waits after a checkpoint of its own ended. At the end of a bounded
     * input, a checkpoint that completes after every task has reached the end of its data is the
     * tasks' final one, and they close right after it (the source 140-290 ms after, in the task
     * logs); a trigger in that time would be declined as "task is closing", which Flink counts as
     * failed. Half of a short interval (150 ms of 300) is not always more than that.
     */
    static final long MIN_PAUSE_AFTER_OWN_MS = 1000;

    /** {@code /jobs/<id>}: the job's state and its subtasks by state. */
    private final URI job;
    /** {@code /jobs/<id>/checkpoints}: statistics (GET), a trigger (POST), a trigger's status (GET, below it). */
    private final URI checkpoints;
    private final long intervalMs;
    private final long pauseAfterCompletionMs;
    private final long holdAfterOthersMs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-schedule");
        t.setDaemon(true);
        return t;
    });

    private String pendingTrigger;
    private long lastTriggerMs = Long.MIN_VALUE / 2;
    private long lastCompletionMs = Long.MIN_VALUE / 2;
    /** The ids of the checkpoints this schedule triggered. */
    private final Set<Long> own = new HashSet<>();

    public CheckpointSchedule(URI restUri, String jobId, Duration interval) {
        this.job = restUri.resolve("/jobs/" + jobId);
        this.checkpoints = restUri.resolve("/jobs/" + jobId + "/checkpoints");
        this.intervalMs = interval.toMillis();
        this.pauseAfterCompletionMs = Math.max(interval.toMillis() / 2, MIN_PAUSE_AFTER_OWN_MS);
        this.holdAfterOthersMs = Math.max(2 * interval.toMillis(), MIN_HOLD_AFTER_OTHERS_MS);
    }

    /**
     * Sets the job's own periodic checkpoints (configured before) to an interval that never comes
     * round: the first trigger falls at least that long after the start (the minimum pause), and
     * the minimum pause binds only periodic triggers, not the ones asked for through REST.
     *
     * <p>Two checkpoints may run at once, so that Flink's own at the end of a bounded input never
     * waits behind one of this schedule's. A checkpoint triggered after the source has read all its
     * input, while a task downstream still works through it, is the source's final one; Flink
     * triggers its own when the last task reaches the end of its data, and a trigger queued until
     * the first completes reached a source already closing and was declined ("task is closing").
     * Started at once, it reaches the source while the source still waits for its final
     * checkpoint, as long as its trigger gets there before that checkpoint completes: Flink
     * triggers it from the JobManager's timer thread, and it won that race by about 10 ms in most
     * runs measured and lost in some, which no setting changes. This schedule itself still
     * triggers only when none is in progress.
     */
    public static void handOver(StreamExecutionEnvironment env) {
        env.enableCheckpointing(FLINK_INTERVAL.toMillis());
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(FLINK_INTERVAL.toMillis());
        env.getCheckpointConfig().setMaxConcurrentCheckpoints(2);
    }

    /**
     * Sets a local cluster's REST API to answer with what is true now. It answers from caches
     * refreshed every 3 s by default; the schedule reads it to see whether every task runs and
     * when the newest checkpoint was, and a command reads the finished job's checkpoints from it.
     * The checkpoint statistics are not cached at all: Flink's final checkpoint of a bounded input
     * takes about 50 ms, and statistics 100 ms old could hide it from the schedule, whose next
     * trigger then reached tasks already closing.
     */
    public static void freshRestAnswers(Configuration conf) {
        conf.set(WebOptions.REFRESH_INTERVAL, Duration.ofMillis(200));
        conf.set(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT, Duration.ZERO);
    }

    public CheckpointSchedule start() {
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            step();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the cluster may be busy or the job restarting; the next tick asks again
        }
    }

    /** One round: follow the pending checkpoint, else trigger the next one when it is due and every task runs. */
    void step() throws Exception {
        long now = System.currentTimeMillis();
        if (pendingTrigger != null) {
            JsonNode status = get(URI.create(checkpoints + "/" + pendingTrigger));
            if (status == null || "IN_PROGRESS".equals(status.path("status").path("id").asText())) {
                return;
            }
            JsonNode id = status.path("operation").path("checkpointId");
            if (id.isNumber()) {
                own.add(id.asLong());
            }
            pendingTrigger = null;
            lastCompletionMs = now;
            return;
        }
        // by this schedule's own clock first: the statistics are read only when that says due
        if (!isDue(now, lastTriggerMs, lastCompletionMs, intervalMs, pauseAfterCompletionMs)) {
            return;
        }
        JsonNode details = get(job);
        if (details == null || !everyTaskRunsOrFinished(details)) {
            return;
        }
        // the statistics last, just before the trigger: a checkpoint Flink itself has just
        // triggered (the final one of a bounded input) holds this one back
        JsonNode stats = statistics();
        if (stats == null || !isDue(System.currentTimeMillis(), stats, own, intervalMs, pauseAfterCompletionMs,
                holdAfterOthersMs)) {
            return;
        }
        String request = requestCheckpoint();
        if (request != null) {
            pendingTrigger = request;
            lastTriggerMs = now;
        }
    }

    /** Asks the job for a checkpoint now ({@code POST /jobs/<id>/checkpoints}): the request's id, or null if refused. */
    String requestCheckpoint() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(checkpoints)
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() / 100 == 2 ? JSON.readTree(r.body()).path("request-id").asText() : null;
    }

    /** The job's checkpoint statistics ({@code GET /jobs/<id>/checkpoints}), or null if not answered. */
    JsonNode statistics() throws Exception {
        return get(checkpoints);
    }

    /** Whether the next checkpoint is due: an interval after the last trigger, {@code pauseMs} after the last completion. */
    static boolean isDue(long now, long lastTriggerMs, long lastCompletionMs, long intervalMs, long pauseMs) {
        return now - lastTriggerMs >= intervalMs && now - lastCompletionMs >= pauseMs;
    }

    /**
     * Whether the next checkpoint is due by the job's checkpoint statistics ({@code GET
     * /jobs/<id>/checkpoints}): none in progress; the newest triggered an interval ago and ended
     * half an interval ago, whoever triggered it; and any this schedule did not trigger ({@code
     * own} are the ids it did) ended {@code holdMs} ago.
     */
    static boolean isDue(long now, JsonNode stats, Set<Long> own, long intervalMs, long pauseMs, long holdMs) {
        if (stats.path("counts").path("in_progress").asLong() > 0) {
            return false;
        }
        long lastTrigger = Long.MIN_VALUE / 2;
        long lastEnd = Long.MIN_VALUE / 2;
        long lastOthersEnd = Long.MIN_VALUE / 2;
        for (JsonNode h : stats.path("history")) {
            long triggered = h.path("trigger_timestamp").asLong();
            long ended = triggered + h.path("end_to_end_duration").asLong();
            lastTrigger = Math.max(lastTrigger, triggered);
            lastEnd = Math.max(lastEnd, ended);
            if (!own.contains(h.path("id").asLong())) {
                lastOthersEnd = Math.max(lastOthersEnd, ended);
            }
        }
        return isDue(now, lastTrigger, lastEnd, intervalMs, pauseMs) && now - lastOthersEnd >= holdMs;
    }

    /**
     * Whether Flink can checkpoint the job now: it runs, and no subtask is starting, restarting or
     * failed ({@code GET /jobs/<id>}: {@code state}, and each vertex's subtasks by state in
     * {@code tasks}; a vertex's own status says RUNNING as soon as one of its subtasks runs).
     * Finished subtasks are fine: a bounded input's tasks wait for a last checkpoint to finish.
     */
    static boolean everyTaskRunsOrFinished(JsonNode details) {
        if (!"RUNNING".equals(details.path("state").asText())) {
            return false;
        }
        long running = 0;
        for (JsonNode vertex : details.path("vertices")) {
            JsonNode tasks = vertex.path("tasks");
            for (String s : NOT_READY) {
                if (tasks.path(s).asLong() > 0) {
                    return false;
                }
            }
            running += tasks.path("RUNNING").asLong();
        }
        return running > 0;
    }

    private JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
