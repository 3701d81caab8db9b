package io.domainmix.job.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A checkpoint of the local schedule that lands after the source has read all of a bounded input,
 * while a slower task downstream still works through it, becomes the source's final checkpoint.
 * Flink triggers a checkpoint of its own once every task has reached the end of its data. Queued
 * behind the schedule's until that one completed, it always reached the source while it closed and
 * was declined ("task is closing"): one failed checkpoint at the end of a run in which nothing went
 * wrong. With two checkpoints allowed at once it starts while the schedule's is still in progress.
 *
 * <p>What the test asserts is that start: Flink's checkpoint is triggered before the schedule's
 * receives its last acknowledgement. Whether it then completes depends on which of two
 * asynchronous steps of the JobManager ends first (its trigger reaching the source, or the
 * schedule's checkpoint completing); here the first won by about 10 ms in 6 of 6 runs on a busy
 * machine, but that is a race inside Flink that no setting removes.
 */
class FinalCheckpointITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 40;
    private static final long MS_PER_RECORD = 50;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(restConfiguration()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build());

    private static Configuration restConfiguration() {
        Configuration conf = new Configuration();
        CheckpointSchedule.freshRestAnswers(conf);
        return conf;
    }

    private static URI restUri() {
        Configuration client = FLINK.getClientConfiguration();
        return URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT) + "/");
    }

    /** Counted down by the first record through {@link Slow} (the cluster runs in this JVM). */
    private static final CountDownLatch FIRST_RECORD = new CountDownLatch(1);

    /** Holds each record back, so that the task works for a while after its input has ended. */
    private static final class Slow implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) throws Exception {
            FIRST_RECORD.countDown();
            Thread.sleep(MS_PER_RECORD);
            return value;
        }
    }

    @Test
    void flinksEndOfInputCheckpointStartsBesideTheSchedulesInsteadOfAfterIt() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // separate tasks: the source ends at once, the slow task 2 s later
        env.disableOperatorChaining();
        CheckpointSchedule.handOver(env);
        env.fromSequence(1, RECORDS).map(new Slow()).sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("final checkpoint");
        String id = job.getJobID().toString();
        // the schedule starts once the source has sent its records (40 numbers take well under
        // the 200 ms given here), so that its first checkpoint is the source's final one
        assertTrue(FIRST_RECORD.await(60, TimeUnit.SECONDS), "no record reached the slow task");
        Thread.sleep(200);
        try (CheckpointSchedule schedule = new CheckpointSchedule(restUri(), id, Duration.ofMillis(300)).start()) {
            job.getJobExecutionResult().get();
        }
        JsonNode stats = get("jobs/" + id + "/checkpoints");
        JsonNode schedules = checkpoint(stats, 1);
        JsonNode flinks = checkpoint(stats, 2);
        // the schedule's first checkpoint, triggered once every task ran (the source had sent all
        // 40 records by then), and Flink's own at the end of the data, triggered beside it
        assertEquals("COMPLETED", schedules.path("status").asText(), stats.toString());
        assertTrue(flinks.path("trigger_timestamp").asLong() < schedules.path("latest_ack_timestamp").asLong(),
                "Flink's end-of-input checkpoint waited for the schedule's: " + stats);
    }

    private static JsonNode checkpoint(JsonNode stats, long id) {
        for (JsonNode h : stats.path("history")) {
            if (h.path("id").asLong() == id) {
                return h;
            }
        }
        throw new AssertionError("no checkpoint " + id + " in " + stats);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(restUri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
