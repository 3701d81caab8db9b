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
 * Flink triggers a checkpoint of its own once every task has reached the end of its data; that one
 * must not wait behind the schedule's, or it reaches the source while it closes and is declined
 * ("task is closing"), one failed checkpoint at the end of a run in which nothing went wrong.
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

    /** Holds each record back, so that the task works for a while after its input has ended. */
    private static final class Slow implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) throws Exception {
            Thread.sleep(MS_PER_RECORD);
            return value;
        }
    }

    @Test
    void aCheckpointTakenAfterTheSourceEndedLeavesFlinksFinalOneNothingToDecline() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // separate tasks: the source ends at once, the slow task 2 s later
        env.disableOperatorChaining();
        CheckpointSchedule.handOver(env);
        env.fromSequence(1, RECORDS).map(new Slow()).sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("final checkpoint");
        String id = job.getJobID().toString();
        try (CheckpointSchedule schedule = new CheckpointSchedule(restUri(), id, Duration.ofMillis(300)).start()) {
            job.getJobExecutionResult().get();
        }
        JsonNode stats = get("jobs/" + id + "/checkpoints");
        JsonNode counts = stats.path("counts");
        // the schedule's first checkpoint, triggered once every task ran (the source had sent all
        // 40 records by then), and Flink's own at the end of the data, which completed beside it
        assertEquals(0, counts.path("failed").asLong(), counts + ", the last failed: " + stats.path("latest").path("failed"));
        assertTrue(counts.path("completed").asLong() >= 2, counts.toString());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(restUri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
