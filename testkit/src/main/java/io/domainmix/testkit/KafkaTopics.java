package io.domainmix.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What tests do with topics on any of the test brokers, given the client properties that reach
 * it (bootstrap servers, and credentials on a secured broker).
 */
public final class KafkaTopics {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Properties client;

    public KafkaTopics(Properties client) {
        this.client = new Properties();
        this.client.putAll(client);
    }

    /** {@code name-<8 hex digits>}: tests sharing one broker keep apart by topic name. */
    public static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A copy of the client properties, to add to. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(client);
        return p;
    }

    public Admin admin() {
        return Admin.create(clientProperties());
    }

    /**
     * Creates the topics with one replica each; a topic that already exists (made by a concurrent
     * test, or by the code under test) is left as it is.
     */
    public void create(int partitions, String... topics) {
        try (Admin admin = admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                            .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + Arrays.toString(topics), e);
        }
    }

    public Set<String> names() {
        try (Admin admin = admin()) {
            return new TreeSet<>(admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics", e);
        }
    }

    /** An idempotent producer that waits for all replicas; small batches, short linger. */
    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = clientProperties();
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every record of a topic up to its end offsets at the time of the call (uncommitted ones too). */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), false);
    }

    /** Committed records of a topic whose keys are text, up to its last stable offset. */
    public List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        return readAll(topic, new StringDeserializer(), new ByteArrayDeserializer(), true);
    }

    /**
     * Every record of a topic up to its end offsets at the time of the call. With
     * {@code readCommitted}, the end is the last stable offset and records of aborted
     * transactions are left out.
     */
    public <K, V> List<ConsumerRecord<K, V>> readAll(
            String topic, Deserializer<K> keys, Deserializer<V> values, boolean readCommitted) {
        Properties p = clientProperties();
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(p, keys, values)) {
            List<TopicPartition> parts = c.partitionsFor(topic, TIMEOUT).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            List<ConsumerRecord<K, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** The sum of the end offsets of a topic's partitions: how many records were ever written to it. */
    public long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, TIMEOUT).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
