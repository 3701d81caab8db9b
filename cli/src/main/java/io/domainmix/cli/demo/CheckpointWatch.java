package io.domainmix.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows a job's checkpoints through the cluster's REST API and prints one plain line for each
 * checkpoint that fails: which one, the size of what it had written, Flink's reason, and what to
 * set. Flink's own report of a failed checkpoint is a warning with a stack trace, repeated at
 * every interval; the command line keeps those out of the console and says this instead.
 */
public final class CheckpointWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI checkpoints;
    private final String checkpointDir;
    private final int tolerable;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-watch");
        t.setDaemon(true);
        return t;
    });
    /** Checkpoints in Flink's history by default ({@code web.checkpoints.history}). */
    private static final int HISTORY_SIZE = 10;

    private volatile JsonNode lastStats;
    /**
     * Every failed checkpoint seen in Flink's history, by id, with its reason. The history holds
     * the last 10; polled every second, at one checkpoint a second or less, it shows each failure
     * that has statistics. A failure that never shows there is one Flink could not trigger.
     */
    private final Map<Long, String> failuresWithStatistics = new ConcurrentHashMap<>();
    private long reportedFailures;
    private long lastReportedId = -1;

    /**
     * @param restUri the cluster's REST address, e.g. {@code http://127.0.0.1:8081/}
     * @param checkpointDir where the job writes checkpoints, for the message
     * @param tolerable failed checkpoints in a row before the job restarts, for the message
     */
    public CheckpointWatch(URI restUri, String jobId, String checkpointDir, int tolerable, PrintStream out) {
        this.checkpoints = restUri.resolve("/jobs/" + jobId + "/checkpoints");
        this.checkpointDir = checkpointDir;
        this.tolerable = tolerable;
        this.out = out;
    }

    public CheckpointWatch start(Duration every) {
        timer.scheduleWithFixedDelay(this::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public void poll() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(checkpoints).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode stats = JSON.readTree(r.body());
                lastStats = stats;
                remember(stats, failuresWithStatistics);
                report(stats);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the job may be restarting or gone; the next poll tries again
        }
    }

    static void remember(JsonNode stats, Map<Long, String> failures) {
        for (JsonNode h : stats.path("history")) {
            if ("FAILED".equals(h.path("status").asText())) {
                failures.put(h.path("id").asLong(), h.path("failure_message").asText(""));
            }
        }
    }

    /** Prints the newest failure when the failed count has grown since the last report. */
    void report(JsonNode stats) {
        long failed = stats.path("counts").path("failed").asLong();
        JsonNode latest = stats.path("latest").path("failed");
        if (failed <= reportedFailures || latest.isMissingNode() || latest.isNull()) {
            return;
        }
        long id = latest.path("id").asLong();
        reportedFailures = failed;
        if (id == lastReportedId) {
            return;
        }
        lastReportedId = id;
        out.println(message(latest, checkpointDir, tolerable));
    }

    /**
     * Whether Flink declined the checkpoint because tasks were starting or finishing (the end of
     * a bounded input): nothing is wrong, and Flink does not count these towards the tolerable
     * failures.
     */
    static boolean whileTasksStartOrFinish(String reason) {
        return reason.contains("task is closing") || reason.contains("tasks not ready")
                || reason.contains("Coordinator is suspending") || reason.contains("not all required tasks")
                || reason.contains("is not being executed at the moment");
    }

    /** The plain-language line for one failed checkpoint (REST's {@code latest.failed} entry). */
    static String message(JsonNode failedCheckpoint, String checkpointDir, int tolerable) {
        String reason = failedCheckpoint.path("failure_message").asText("no reason given");
        if (whileTasksStartOrFinish(reason)) {
            return String.format(Locale.ROOT, "checkpoint %d was declined while tasks started or finished (%s); "
                    + "nothing to set: the next one includes everything.", failedCheckpoint.path("id").asLong(), firstLine(reason));
        }
        long bytes = Math.max(failedCheckpoint.path("state_size").asLong(), failedCheckpoint.path("checkpointed_size").asLong());
        String advice;
        if (reason.contains("maximum permitted memory-backed state")) {
            advice = "the checkpoint went to the JobManager's memory (5 MB at most): set --checkpoint-dir to a directory";
        } else if (reason.toLowerCase(Locale.ROOT).contains("expired") || reason.toLowerCase(Locale.ROOT).contains("timeout")) {
            advice = "it took too long: a larger --checkpoint-interval-ms, or --state-backend rocksdb for large state";
        } else if (reason.toLowerCase(Locale.ROOT).contains("space")) {
            advice = "the disk of " + checkpointDir + " is full: free space there or set --checkpoint-dir elsewhere";
        } else {
            advice = "checkpoints go to " + checkpointDir + " (--checkpoint-dir)";
        }
        return String.format(Locale.ROOT, "checkpoint %d failed (%s written): %s%n  What to set: %s. "
                        + "After %d failed in a row the job restarts from its last completed checkpoint "
                        + "(--tolerable-failed-checkpoints).",
                failedCheckpoint.path("id").asLong(), size(bytes), firstLine(reason), advice, tolerable + 1);
    }

    /** The checkpoints as last seen: completed and failed, and the newest completed one's size and duration. */
    public String summary() {
        return summary(lastStats, failuresWithStatistics);
    }

    /**
     * The summary with every failure accounted for: those Flink could not trigger (no statistics;
     * at the start, before every task runs, and at the end of a bounded input, while tasks
     * finish), those declined while tasks started or finished, and those that failed while the
     * job ran, the only kind that needs attention.
     */
    static String summary(JsonNode stats, Map<Long, String> failuresWithStatistics) {
        if (stats == null) {
            return "no checkpoint statistics seen";
        }
        JsonNode counts = stats.path("counts");
        long failed = counts.path("failed").asLong();
        StringBuilder b = new StringBuilder(completedPart(stats)).append(String.format(Locale.ROOT, ", %d failed", failed));
        if (failed == 0) {
            return b.toString();
        }
        long declined = failuresWithStatistics.values().stream().filter(CheckpointWatch::whileTasksStartOrFinish).count();
        long whileRunning = failuresWithStatistics.size() - declined;
        long notTriggered = Math.max(0, failed - failuresWithStatistics.size());
        b.append(String.format(Locale.ROOT, ": %d could not be triggered (tasks not yet running, or finishing at the end "
                + "of the input: Flink counts these as failed), %d declined while tasks started or finished, %d failed "
                + "while the job ran", notTriggered, declined, whileRunning));
        return b.toString();
    }

    private static String completedPart(JsonNode stats) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d completed",
                stats.path("counts").path("completed").asLong()));
        JsonNode latest = stats.path("latest").path("completed");
        if (latest.isObject()) {
            b.append(String.format(Locale.ROOT, " (the last: %s in %.1f s)", size(latest.path("checkpointed_size").asLong()),
                    latest.path("end_to_end_duration").asLong() / 1000.0));
        }
        return b.toString();
    }

    static String summary(JsonNode stats) {
        if (stats == null) {
            return "no checkpoint statistics seen";
        }
        JsonNode counts = stats.path("counts");
        StringBuilder b = new StringBuilder(completedPart(stats));
        b.append(String.format(Locale.ROOT, ", %d failed", counts.path("failed").asLong()));
        long failedInHistory = 0;
        long declined = 0;
        for (JsonNode h : stats.path("history")) {
            if ("FAILED".equals(h.path("status").asText())) {
                failedInHistory++;
                declined += whileTasksStartOrFinish(h.path("failure_message").asText()) ? 1 : 0;
            }
        }
        if (declined > 0) {
            b.append(String.format(Locale.ROOT, " (of the last %d failed, %d declined while tasks started or finished)",
                    failedInHistory, declined));
        }
        long neverStarted = counts.path("failed").asLong() - failedInHistory;
        if (stats.path("history").size() < HISTORY_SIZE && neverStarted > 0) {
            // Flink keeps statistics only of checkpoints it started; one it could not start (tasks
            // not all running yet, or already finishing) is counted as failed all the same
            b.append(String.format(Locale.ROOT, "; %d failed before starting, while tasks started or finished", neverStarted));
        }
        return b.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
