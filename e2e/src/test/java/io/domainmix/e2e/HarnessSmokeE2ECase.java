package io.domainmix.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.testkit.KafkaBrokerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness itself: a broker process and a two-TaskManager cluster come up, are what they
 * claim to be, and talk to real clients. If this fails, the job's end-to-end cases cannot
 * tell anything.
 */
@ExtendWith({PrintProcessLogsOnFailure.class, SharedBrokerAndCluster.class})
@Order(1)
class HarnessSmokeE2ECase {

    private static KafkaBrokerProcess broker;
    private static FlinkStandaloneCluster cluster;

    @BeforeAll
    static void useSharedProcesses(BrokerAndCluster processes) {
        broker = processes.broker();
        cluster = processes.cluster();
    }

    @Test
    void clusterHasTwoTaskManagersOnLoopback() {
        JsonNode overview = cluster.overview();
        assertEquals(2, overview.path("taskmanagers").asInt(), overview.toString());
        assertEquals(4, overview.path("slots-total").asInt(), overview.toString());
        assertEquals("2.2.1", overview.path("flink-version").asText());

        JsonNode taskManagers = cluster.rest().get("taskmanagers").path("taskmanagers");
        Set<String> ids = StreamSupport.stream(taskManagers.spliterator(), false)
                .map(tm -> tm.path("id").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of("tm-0", "tm-1"), ids);
        for (JsonNode tm : taskManagers) {
            assertTrue(tm.path("path").asText().contains("@127.0.0.1:"), "TaskManager not on loopback: " + tm);
        }
        assertTrue(cluster.restUrl().startsWith("http://127.0.0.1:"));
        assertTrue(!cluster.restUrl().endsWith(":8081"), "REST must not take the default port");
    }

    /**
     * The web submission path ({@code POST /jars/upload}, then the JobManager runs the jar's
     * main to build the job graph): the jar's classes resolve on a cluster's classpath.
     */
    @Test
    void acceptsTheJobJarForWebSubmission() {
        String jarId = cluster.rest().uploadJar(E2EEnvironment.jobJar());
        Set<String> listed = StreamSupport.stream(cluster.rest().get("jars").path("files").spliterator(), false)
                .map(jar -> jar.path("id").asText())
                .collect(Collectors.toSet());
        assertTrue(listed.contains(jarId), jarId + " not in " + listed);

        ObjectNode request = FlinkRestApi.object();
        ArrayNode args = request.putArray("programArgsList");
        JobArguments.of(broker.bootstrapServers(), "smoke", "smoke-plan", "--dim", "20").toList().forEach(args::add);
        JsonNode plan = cluster.rest().post("jars/" + jarId + "/plan", request).path("plan");
        Set<String> operators = StreamSupport.stream(plan.path("nodes").spliterator(), false)
                .map(node -> node.path("description").asText())
                .collect(Collectors.toSet());
        assertTrue(operators.stream().anyMatch(d -> d.contains("trainer")), "no trainer in " + operators);
        assertTrue(operators.stream().anyMatch(d -> d.contains("domain statistics")), "no statistics in " + operators);
    }

    @Test
    void brokerRoundTripsRecords() throws Exception {
        String topic = "harness-smoke";
        broker.createTopics(2, topic);
        List<String> sent = new ArrayList<>();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                String value = "{\"domain\":\"d" + (i % 2) + "\",\"x\":[" + i + "],\"y\":" + i + "}";
                sent.add(value);
                producer.send(new ProducerRecord<>(topic, "d" + (i % 2), value)).get(30, TimeUnit.SECONDS);
            }
        }

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.add(record.value());
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            assertEquals(100L, ends.values().stream().mapToLong(Long::longValue).sum());
        }
        assertEquals(Set.copyOf(sent), Set.copyOf(received));
        assertEquals(sent.size(), received.size());
    }
}
