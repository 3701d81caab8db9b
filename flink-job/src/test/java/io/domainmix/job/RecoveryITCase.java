package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.ModelSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failure mid-stream: the job restarts once, from its checkpoint (as Flink's REST API reports),
 * and counts every example exactly once.
 */
class RecoveryITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** A GET on the MiniCluster's REST API (the web UI's), as JSON. */
    private static JsonNode rest(String path) throws Exception {
        Configuration client = FLINK.getClientConfiguration();
        URI uri = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT) + path);
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), uri + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return JobJson.tree(response.body());
    }

    @Test
    void restartsFromItsCheckpointWithExactCountsAndTheSameQuality() throws Exception {
        long total = 200_000;
        String prefix = TestKafka.unique("recovery");
        Experiment ex = Experiment.named("linear-noise", 20);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        Map<String, Long> produced = JobRuns.produce(prefix, ex, TrainingITCase.SEED, total);
        String run = TestKafka.unique("recovery-erma-va");
        JobOptions options = JobOptions.parse(JobRuns.options(prefix, run, "--loss-weights", "erma", "--sampling", "va",
                "--checkpoint-interval-ms", "500").toArray(new String[0]));

        FailOnceAfterCheckpoint.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FailOnceAfterCheckpoint.restartTwice(env);
        DomainMixJob.createOutputTopics(options);
        DomainMixJob.configure(env, options);
        DataStream<RawRecord> records = DomainMixJob.kafkaRecords(env, options)
                .map(new FailOnceAfterCheckpoint(40_000, 2000, 20)).name("fail once");
        DomainMixJob.build(options, records, DomainMixJob.kafkaSinks(options));
        JobExecutionResult result = env.execute(options.jobName());

        assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
        // What Flink itself recorded: exactly one failure (the injected one), and one restore from
        // a completed checkpoint rather than a restart from the beginning of the topics.
        JsonNode exceptions = rest("/jobs/" + result.getJobID() + "/exceptions");
        JsonNode failures = exceptions.path("exceptionHistory").path("entries");
        assertEquals(1, failures.size(), "restarts recorded by Flink: " + exceptions);
        assertTrue(failures.get(0).path("exceptionName").asText().contains("IllegalStateException")
                && failures.get(0).path("stacktrace").asText().contains("injected failure"), failures.toString());
        JsonNode checkpoints = rest("/jobs/" + result.getJobID() + "/checkpoints");
        assertEquals(1, checkpoints.path("counts").path("restored").asInt(), "restores: " + checkpoints);
        JsonNode restored = checkpoints.path("latest").path("restored");
        assertTrue(restored.path("id").asLong() >= 1 && !restored.path("is_savepoint").asBoolean(true),
                "restored from a checkpoint: " + restored);
        JsonNode metrics = JobRuns.finalMetrics(run);
        for (var d : produced.entrySet()) {
            JsonNode m = metrics.path("domains").path(d.getKey());
            assertEquals(d.getValue().longValue(), m.path("n").asLong(), "statistics count of " + d.getKey());
            assertEquals(d.getValue().longValue(), m.path("arrivals").asLong(), "trainer arrivals of " + d.getKey());
        }
        ModelSnapshot last = JobRuns.finalSnapshot(run);
        assertEquals(total, last.examplesSeen);
        double error = JobRuns.distance(last.averagedTheta, ex.groundTruth(TrainingITCase.SEED).theta);
        double reference = JobRuns.simulatorErrorOnTheSameData("linear-noise", "erma+va", total, TrainingITCase.SEED);
        double ratio = JobRuns.lossWeight(last, "d1") / JobRuns.lossWeight(last, "d2");
        System.out.printf("recovery erma+va: job error %.5f, simulator on the same data %.5f (x%.3f), lambda1/lambda2 %.2f, "
                + "checkpoints completed %d%n", error, reference, error / reference, ratio, FailOnceAfterCheckpoint.COMPLETED_CHECKPOINTS.get());
        // Counts, examplesSeen and the REST restore above are what prove the restore exact; this
        // bound only catches a model that the restore lost (see SINGLE_RUN_TOLERANCE for the tail).
        assertTrue(error <= JobRuns.SINGLE_RUN_TOLERANCE * reference,
                "job error " + error + " vs simulator on the same data " + reference + " (x" + error / reference + ")");
        assertTrue(Math.abs(ratio - 20) <= 0.2 * 20, "lambda1/lambda2 = " + ratio);
    }
}
