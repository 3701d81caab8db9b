package io.domainmix.testkit;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft cluster (combined broker and controller) in this JVM, built with
 * Kafka's own test kit and listening on localhost. Its files go under {@code target/}.
 *
 * <p>{@link #shared()} starts one on first use for the whole JVM, closed when the JVM exits;
 * tests that share it keep apart by topic names from {@link KafkaTopics#unique}.
 */
public final class InProcessKafka implements AutoCloseable {
    private static InProcessKafka shared;

    private final KafkaClusterTestKit cluster;
    private final KafkaTopics topics;

    private InProcessKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", cluster.bootstrapServers());
        this.topics = new KafkaTopics(client);
    }

    /** The JVM's shared cluster, started on first use. */
    public static synchronized InProcessKafka shared() {
        if (shared == null) {
            InProcessKafka started = start(Path.of("target", "kafka-" + UUID.randomUUID()));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-kafka"));
            shared = started;
        }
        return shared;
    }

    /** A cluster of its own, with its files under {@code dir}; the caller closes it. */
    public static InProcessKafka start(Path dir) {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBaseDirectory(dir.toAbsolutePath())
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "2")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // a test that forgets to create a topic fails instead of getting a one-partition one
                    .setConfigProp("auto.create.topics.enable", "false")
                    // Flink's exactly-once Kafka sink keeps transactions open across a checkpoint interval
                    .setConfigProp("transaction.max.timeout.ms", "900000")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InProcessKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka cluster", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public KafkaTopics topics() {
        return topics;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // stopping: a failure to stop cleanly leaves only files under target/
        }
    }
}
