package io.domainmix.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.serve.ModelSource;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.testkit.Await;
import io.domainmix.testkit.KafkaBrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real broker process, which the test stops and restarts. */
class SnapshotSubscriberITCase {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static KafkaBrokerProcess broker;

    @BeforeAll
    static void startBroker() throws IOException {
        Path dir = Files.createTempDirectory("client-broker");
        String cp = Files.readString(Path.of(System.getProperty(
                "client.broker.classpath.file", "target/kafka-broker-classpath.txt")), StandardCharsets.UTF_8).trim();
        broker = KafkaBrokerProcess.start(dir, cp);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static ModelSnapshot linear(String run, long version, double... averaged) {
        ModelSnapshot s = new ModelSnapshot();
        s.runId = run;
        s.version = version;
        s.modelType = "linear";
        s.labels = "real";
        s.dimension = averaged.length;
        s.theta = new double[averaged.length];
        s.averagedTheta = averaged;
        return s;
    }

    private static void send(String topic, byte[] value) {
        try (KafkaProducer<byte[], byte[]> p = broker.topics().producer()) {
            p.send(new ProducerRecord<>(topic, null, value)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }

    private static void send(String topic, ModelSnapshot s) {
        send(topic, SnapshotRecord.write(s, false));
    }

    @Test
    void followsVersionsSkipsCorruptRecordsAndSurvivesABrokerRestart() throws Exception {
        String topic = "snapshots-" + System.nanoTime();
        broker.createTopics(2, topic);
        send(topic, linear("other-run", 50, 9, 9));
        send(topic, linear("run", 1, 1.0, 2.0));

        try (LogLines log = new LogLines(SnapshotSubscriber.class);
                SnapshotSubscriber sub = SnapshotSubscriber.start(broker.bootstrapServers(), topic, "run")) {
            Predictor predictor = sub.predictor();
            assertTrue(sub.awaitFirst(WAIT), "no first snapshot");
            assertEquals(1, predictor.version());
            assertEquals(1.0 * 3 + 2.0 * 4, predictor.predict(new double[] {3, 4}), 0.0);

            send(topic, linear("run", 2, -1.0, 0.5));
            Await.until("version 2", WAIT, () -> predictor.version() == 2);
            Predictor.Prediction p = predictor.score(new double[] {3, 4});
            assertEquals(-3.0 + 2.0, p.value(), 0.0);
            assertEquals(2, p.version());
            assertEquals("run", p.runId());

            // A corrupt record, and a snapshot of the run that cannot be served: both skipped, v2 kept.
            send(topic, "{\"runId\": \"run\", \"version\": 3, \"averagedTheta\": [1,".getBytes(StandardCharsets.UTF_8));
            ModelSnapshot wrongLength = linear("run", 4, 1.0, 2.0, 3.0);
            wrongLength.dimension = 2;
            send(topic, wrongLength);
            Await.until("two skipped records", WAIT, () -> sub.skippedRecords() == 2);
            assertTrue(sub.lastSkipReason().contains("needs 2"), sub.lastSkipReason());
            assertEquals(2, predictor.version());
            assertEquals(-3.0 + 2.0, predictor.predict(new double[] {3, 4}), 0.0);
            List<String> skipLines = log.lines().stream().filter(l -> l.contains("skipped snapshot record")).toList();
            assertEquals(2, skipLines.size(), String.join("\n", log.lines()));
            assertTrue(skipLines.get(0).startsWith("WARN") && skipLines.get(0).contains("not JSON")
                    && skipLines.get(0).contains("keeping version 2"), skipLines.get(0));

            broker.stop();
            // The broker is gone: predictions go on with the model in use, without waiting.
            assertEquals(-3.0 + 2.0, predictor.predict(new double[] {3, 4}), 0.0);
            assertFalse(broker.isRunning());
            broker.start();

            send(topic, linear("run", 6, 0.25, 0.25));
            Await.until("version 6 after the restart", WAIT, () -> predictor.version() == 6);
            // An older version that arrives late does not replace the newer one.
            send(topic, linear("run", 5, 100, 100));
            send(topic, linear("run", 7, 0.5, 0.5));
            Await.until("version 7", WAIT, () -> predictor.version() == 7);
            assertEquals(0.5 * 3 + 0.5 * 4, predictor.predict(new double[] {3, 4}), 0.0);
            assertEquals(2, sub.skippedRecords());
        }
    }

    @Test
    void fglsSourceAndAPredictorWithoutAModelYet() throws Exception {
        String topic = "snapshots-fgls-" + System.nanoTime();
        broker.createTopics(1, topic);
        Properties props = broker.clientProperties();
        try (SnapshotSubscriber sub = SnapshotSubscriber.start(props, topic, "fgls-run", ModelSource.FGLS)) {
            assertFalse(sub.predictor().isReady());
            assertThrows(IllegalStateException.class, () -> sub.predictor().predict(new double[] {1, 1}));
            // Early snapshots of an FGLS run carry no estimate yet: skipped, not served as θ̄.
            send(topic, linear("fgls-run", 1, 5, 5));
            ModelSnapshot solved = linear("fgls-run", 2, 5, 5);
            solved.fglsTheta = new double[] {2.0, -1.0};
            send(topic, solved);
            assertTrue(sub.awaitFirst(WAIT));
            assertEquals(2, sub.predictor().version());
            assertEquals(2.0 - 1.0, sub.predictor().predict(new double[] {1, 1}), 0.0);
            assertEquals(1, sub.skippedRecords());
        }
    }
}
