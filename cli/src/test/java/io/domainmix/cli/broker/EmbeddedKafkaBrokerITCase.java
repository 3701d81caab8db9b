package io.domainmix.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.cli.report.TopicContents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerITCase {

    @Test
    void servesRecordsOnLoopbackAndRemovesItsDataOnClose() throws Exception {
        Path dir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            dir = broker.directory();
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            assertTrue(Files.isDirectory(dir.resolve("data")));
            assertFalse(EmbeddedKafkaBroker.isFree(broker.port()), "the broker holds its port");

            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("t", ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
                }
            }
            List<byte[]> values = TopicContents.values(broker.bootstrapServers(), "t", Duration.ofSeconds(30));
            assertEquals(List.of("r0", "r1", "r2"), values.stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList());
        }
        assertFalse(Files.exists(dir), "data directory removed");
    }

    @Test
    void aTakenPortIsReportedPlainly() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EmbeddedKafkaBroker.BrokerStartException e = assertThrows(EmbeddedKafkaBroker.BrokerStartException.class,
                    () -> EmbeddedKafkaBroker.start(taken.getLocalPort()));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"),
                    e.getMessage());
        }
    }

    @Test
    void anUnreachableAddressIsNamed() {
        int port = EmbeddedKafkaBroker.freePort();
        TopicContents.UnreachableException e = assertThrows(TopicContents.UnreachableException.class,
                () -> TopicContents.checkReachable("127.0.0.1:" + port, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("Kafka is not reachable at 127.0.0.1:" + port), e.getMessage());
    }
}
