package io.domainmix.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker (Kafka's own test kit) for the throughput harness, run as a
 * child process so that its heap and garbage collection stay out of the job's measurements.
 * Prints {@code bootstrap=<host:port>} when ready and stops when its standard input closes,
 * so it never outlives the harness that started it.
 *
 * <p>Usage: {@code LocalBroker <data directory>} (removed on exit).
 */
public final class LocalBroker {
    static final String READY_PREFIX = "bootstrap=";

    private LocalBroker() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir);
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBaseDirectory(dir)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            System.out.println(READY_PREFIX + cluster.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the harness never writes; end of input means it is done (or gone)
            }
        } finally {
            cluster.close();
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
