package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.synth.Experiment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job on each state backend, checkpointing to files: a failure injected after a completed
 * checkpoint makes it restore from that checkpoint, and every domain is still counted exactly
 * once by the statistics and by the trainer. The cluster's REST API confirms which backend and
 * which storage the job ran with, so a setting that silently fell back would fail here.
 */
class BackendsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @ParameterizedTest
    @EnumSource(JobOptions.StateBackendKind.class)
    void restoresFromTheLastCheckpointWithExactCounts(JobOptions.StateBackendKind backend, @TempDir Path checkpoints,
                                                      @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        FailOnceAfterCheckpoint.reset();
        long total = 40_000;
        String prefix = TestKafka.unique("backend-" + backend.flinkName());
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        Map<String, Long> produced = JobRuns.produce(prefix, Experiment.named("linear-noise", 20), TrainingITCase.SEED, total);
        String run = TestKafka.unique("backend-" + backend.flinkName());
        JobOptions options = JobOptions.parse(JobRuns.options(prefix, run,
                "--state-backend", backend.flinkName(),
                "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval-ms", "300").toArray(new String[0]));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FailOnceAfterCheckpoint.restartTwice(env);
        DomainMixJob.createOutputTopics(options);
        DomainMixJob.configure(env, options);
        DataStream<RawRecord> records = DomainMixJob.kafkaRecords(env, options)
                .map(new FailOnceAfterCheckpoint(total / 4, 1000, 10)).name("fail once");
        DomainMixJob.build(options, records, DomainMixJob.kafkaSinks(options));
        JobClient job = env.executeAsync(options.jobName());
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
        JsonNode config = rest(cluster, "/jobs/" + job.getJobID() + "/checkpoints/config");
        String expectedBackend = Map.of(JobOptions.StateBackendKind.HASHMAP, "HashMapStateBackend",
                JobOptions.StateBackendKind.ROCKSDB, "EmbeddedRocksDBStateBackend",
                JobOptions.StateBackendKind.FORST, "ForStStateBackend").get(backend);
        assertEquals(expectedBackend, config.path("state_backend").asText(), "state backend in " + config);
        assertEquals("FileSystemCheckpointStorage", config.path("checkpoint_storage").asText(), "storage in " + config);
        JsonNode stats = rest(cluster, "/jobs/" + job.getJobID() + "/checkpoints");
        assertTrue(stats.path("counts").path("restored").asLong() >= 1, "restored from a checkpoint: " + stats.path("counts"));

        JsonNode metrics = JobRuns.finalMetrics(run);
        for (var d : produced.entrySet()) {
            JsonNode m = metrics.path("domains").path(d.getKey());
            assertEquals(d.getValue().longValue(), m.path("n").asLong(), "statistics count of " + d.getKey());
            assertEquals(d.getValue().longValue(), m.path("arrivals").asLong(), "trainer arrivals of " + d.getKey());
        }
        assertEquals(total, JobRuns.finalSnapshot(run).examplesSeen);
        java.util.Set<String> failures = new java.util.TreeSet<>();
        stats.path("history").forEach(h -> {
            if (h.has("failure_message")) {
                failures.add(h.path("failure_message").asText());
            }
        });
        System.out.printf("backend %s: checkpoints %s; failures: %s%n", backend.flinkName(), stats.path("counts"), failures);
    }

    private static JsonNode rest(ClusterClient<?> cluster, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(cluster.getWebInterfaceURL() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return new ObjectMapper().readTree(r.body());
    }
}
