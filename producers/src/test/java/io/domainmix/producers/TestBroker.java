package io.domainmix.producers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker in this JVM (Kafka's own test kit), and a way to read a topic
 * back completely. Its files go to {@code java.io.tmpdir}, which the build points at target/.
 */
final class TestBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private TestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static TestBroker start() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new TestBroker(cluster);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    static String uniquePrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every record of a topic, from the beginning to its end offset at the time of the call. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The sum of the end offsets of a topic's partitions: how many records were ever written. */
    long endOffset(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    List<String> topics() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(p)) {
            return new ArrayList<>(a.listTopics().names().get());
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
