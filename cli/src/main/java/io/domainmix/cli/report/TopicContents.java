package io.domainmix.cli.report;

import io.domainmix.cli.KafkaConnection;
import io.domainmix.job.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a Kafka topic from its beginning to the end offsets it has when the read starts. */
public final class TopicContents {
    private TopicContents() {}

    /** Thrown with a message a user can act on: which address, which topic, what went wrong. */
    public static final class UnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Fails fast, naming the address, when no broker answers there. */
    public static void checkReachable(String bootstrapServers, Duration timeout) {
        checkReachable(KafkaConnection.of(bootstrapServers), timeout);
    }

    /** Fails fast, naming the address (or the authentication failure), when no broker answers there. */
    public static void checkReachable(KafkaConnection kafka, Duration timeout) {
        String bootstrapServers = kafka.bootstrapServers();
        Properties p = kafka.clientProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while contacting Kafka at " + bootstrapServers, e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Optional<String> security = KafkaErrors.security(e);
            if (security.isPresent()) {
                throw new UnreachableException(security.get() + " (Kafka at " + bootstrapServers + ")", null);
            }
            throw new UnreachableException("Kafka is not reachable at " + bootstrapServers + " (no answer within "
                    + timeout.toSeconds() + " s); check the address and that the broker is running", e);
        }
    }

    /** The record values of every partition of {@code topic}, partition by partition in offset order. */
    public static List<byte[]> values(String bootstrapServers, String topic, Duration timeout) {
        return values(KafkaConnection.of(bootstrapServers), topic, timeout);
    }

    /** The record values of every partition of {@code topic}, partition by partition in offset order. */
    public static List<byte[]> values(KafkaConnection kafka, String topic, Duration timeout) {
        String bootstrapServers = kafka.bootstrapServers();
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos;
            try {
                infos = c.partitionsFor(topic, timeout);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new UnreachableException("Kafka at " + bootstrapServers + " did not answer for topic '" + topic
                        + "' within " + timeout.toSeconds() + " s; check the address and that the broker is running", e);
            }
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + bootstrapServers);
            }
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : infos) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new UnreachableException("could not read topic '" + topic + "' on " + bootstrapServers
                            + " to its end within " + timeout.toSeconds() + " s", null);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }
}
