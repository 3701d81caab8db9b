package io.domainmix.job.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
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
 * wrong. The local job therefore lets two checkpoints run at once.
 *
 * <p>What the test asserts is that setting's effect, which is deterministic: a second trigger
 * while a checkpoint that waits on the slow task is in progress starts at once instead of
 * queuing. Whether Flink's own end-of-input checkpoint then reaches the source before the first
 * completes is a race inside the JobManager (it triggers from its timer thread): it won by about
 * 10 ms in most runs here and lost in some, so the test does not assert it.
 */
class FinalCheckpointITCase {
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
    void aSecondCheckpointStartsWhileTheFirstWaitsOnASlowTask() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // separate tasks: the source ends at once, the slow task 2 s later
        env.disableOperatorChaining();
        CheckpointSchedule.handOver(env);
        env.fromSequence(1, RECORDS).map(new Slow()).sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("final checkpoint");
        // the schedule's REST calls, made here by hand: it is never started
        try (CheckpointSchedule rest = new CheckpointSchedule(restUri(), job.getJobID().toString(), Duration.ofHours(1))) {
            // the first checkpoint's barrier waits behind the slow task's 40 records (2 s)
            assertTrue(FIRST_RECORD.await(60, TimeUnit.SECONDS), "no record reached the slow task");
            assertNotNull(rest.requestCheckpoint(), "first trigger refused");
            awaitInProgress(rest, 1);
            assertNotNull(rest.requestCheckpoint(), "second trigger refused");
            // one at a time, the second request would wait in Flink's queue until the first completed
            JsonNode counts = awaitInProgress(rest, 2);
            assertEquals(2, counts.path("in_progress").asLong(), counts.toString());
            job.getJobExecutionResult().get();
            // both complete when the slow task has worked through its records (Flink's own at the end
            // of the input comes after them, and may or may not reach the source in time)
            JsonNode done = rest.statistics().path("counts");
            assertTrue(done.path("completed").asLong() >= 2, done.toString());
        }
    }

    /** The checkpoint counts once {@code n} are in progress, or after 1 s. */
    private static JsonNode awaitInProgress(CheckpointSchedule rest, long n) throws Exception {
        JsonNode counts = null;
        for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; Thread.sleep(20)) {
            JsonNode stats = rest.statistics();
            counts = stats == null ? null : stats.path("counts");
            if (counts != null && counts.path("in_progress").asLong() >= n) {
                break;
            }
        }
        assertNotNull(counts, "no checkpoint statistics");
        return counts;
    }
}
