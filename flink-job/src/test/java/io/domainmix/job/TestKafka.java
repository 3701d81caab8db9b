package io.domainmix.job;

import io.domainmix.testkit.InProcessKafka;
import io.domainmix.testkit.KafkaTopics;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job's integration tests' view of the shared test broker ({@link InProcessKafka#shared()}):
 * one in-process KRaft cluster for every test class of the JVM; tests keep apart by topic names
 * with a UUID.
 */
final class TestKafka {
    private TestKafka() {}

    static String bootstrapServers() {
        return InProcessKafka.shared().bootstrapServers();
    }

    private static KafkaTopics topics() {
        return InProcessKafka.shared().topics();
    }

    static String unique(String name) {
        return KafkaTopics.unique(name);
    }

    static Properties clientProperties() {
        return topics().clientProperties();
    }

    /** Creates the topics; one that exists already is left as it is. */
    static void createTopics(int partitions, String... topics) {
        topics().create(partitions, topics);
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return topics().producer();
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    /** Every record of a topic up to its current end. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return topics().readAll(topic);
    }
}
