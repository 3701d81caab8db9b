package io.domainmix.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.testkit.Await;
import io.domainmix.testkit.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scoring job of the shaded jar on the standalone cluster: the TaskManager that scores is
 * killed while requests stream in, and every request is still answered, each with its
 * version's prediction.
 */
@ExtendWith({PrintProcessLogsOnFailure.class, SharedBrokerAndCluster.class})
@Order(3)
class ScoringJobE2ECase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int D = 5;
    private static final int REQUESTS = 20_000;

    private static Path jobJar;
    private static KafkaBrokerProcess broker;
    private static FlinkStandaloneCluster cluster;

    @BeforeAll
    static void useSharedProcesses(BrokerAndCluster processes) {
        broker = processes.broker();
        cluster = processes.cluster();
        jobJar = E2EEnvironment.copyOfJobJar(E2EEnvironment.freshDirectory("scoring-job-jar"));
    }

    @AfterEach
    void cancelJobs() {
        cluster.cancelRunningJobs();
    }

    @Test
    void answersEveryRequestWhenTheScoringTaskManagerIsKilled() throws Exception {
        String run = "e2e-scoring";
        broker.createTopics(2, "scoring-requests");
        broker.createTopics(1, "scoring-snapshots", "scoring-predictions", "scoring-dead-letters");
        ModelSnapshot v1 = new ModelSnapshot();
        v1.runId = run;
        v1.version = 1;
        v1.modelType = "linear";
        v1.labels = "real";
        v1.dimension = D;
        v1.intercept = true;
        v1.averagedTheta = new double[] {0.5, -1, 2, 0.25, -0.75, 3};
        v1.theta = v1.averagedTheta.clone();
        Model model = ModelSpec.linear(D, true).create();

        Map<String, double[]> sent = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger written = new AtomicInteger();
        try (KafkaProducer<byte[], byte[]> p = broker.topics().producer()) {
            p.send(new ProducerRecord<>("scoring-snapshots", SnapshotRecord.write(v1, false))).get(60, TimeUnit.SECONDS);
        }
        Thread feed = new Thread(() -> {
            SplitMix64 rng = new SplitMix64(3);
            try (KafkaProducer<byte[], byte[]> p = broker.topics().producer()) {
                for (int i = 0; i < REQUESTS; i++) {
                    double[] x = new double[D];
                    for (int k = 0; k < D; k++) {
                        x[k] = rng.nextGaussian();
                    }
                    Example q = new Example("d", x, rng.nextGaussian(), 1.0, "q-" + i, Long.MIN_VALUE);
                    sent.put(q.id, x);
                    p.send(new ProducerRecord<>("scoring-requests", ExampleJsonCodec.encode(q)));
                    written.incrementAndGet();
                    if (i % 50 == 49) {
                        p.flush();
                        Thread.sleep(25); // about 2,000 requests a second, for 10 s
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scoring-requests");

        String jobId = cluster.submitWithClient(JobSubmission.of(jobJar, List.of(
                        "--bootstrap-servers", broker.bootstrapServers(), "--requests", "scoring-requests",
                        "--snapshot-topic", "scoring-snapshots", "--predictions-topic", "scoring-predictions",
                        "--dead-letter-topic", "scoring-dead-letters", "--run-id", run, "--parallelism", "2",
                        "--checkpoint-interval-ms", "1000"))
                .withEntryClass("io.domainmix.job.score.ScoringJob"));
        int killed = -1;
        try {
            cluster.awaitAllTasksRunning(jobId, TIMEOUT);
            feed.start();
            cluster.awaitCompletedCheckpoints(jobId, 2, TIMEOUT);
            Await.until("requests flowing", TIMEOUT, () -> written.get() > REQUESTS / 4);
            String scorer = cluster.taskManagersOf(jobId, cluster.vertexId(jobId, "score")).iterator().next();
            killed = Integer.parseInt(scorer.substring("tm-".length()));
            cluster.killTaskManager(killed);
            assertFalse(cluster.isTaskManagerAlive(killed));
            Await.until("a restore from a checkpoint", TIMEOUT, () -> cluster.restoredFrom(jobId).isPresent());
            feed.join(TimeUnit.MINUTES.toMillis(3));
            assertEquals(REQUESTS, written.get());

            Map<String, JsonNode> answered = new HashMap<>();
            Await.until("every request answered", TIMEOUT, () -> {
                for (JsonNode n : TopicReader.readAll(broker.bootstrapServers(), "scoring-predictions", Duration.ofSeconds(60))) {
                    answered.putIfAbsent(n.path("id").asText(), n);
                }
                return answered.size() >= REQUESTS;
            });
            assertEquals(sent.keySet(), answered.keySet());
            for (Map.Entry<String, JsonNode> e : answered.entrySet()) {
                assertEquals(1, e.getValue().path("version").asLong());
                assertEquals(model.predict(v1.averagedTheta, sent.get(e.getKey())), e.getValue().path("prediction").asDouble(),
                        1e-12, e.getKey());
            }
            System.out.printf("scoring e2e: TaskManager %s killed mid-stream; %,d requests, all answered%n", scorer, REQUESTS);
        } finally {
            feed.join(TimeUnit.MINUTES.toMillis(1));
            if (killed >= 0) {
                int replacement = cluster.startTaskManager();
                cluster.awaitRegistered(FlinkStandaloneCluster.taskManagerId(replacement), Duration.ofMinutes(2));
            }
        }
    }
}
