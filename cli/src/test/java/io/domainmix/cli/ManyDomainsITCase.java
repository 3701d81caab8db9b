package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.cli.broker.EmbeddedKafkaBroker;
import io.domainmix.cli.demo.LocalFlinkCluster;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import io.domainmix.testkit.KafkaTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many domains in shared topics, the way to run thousands of them: {@code produce synthetic
 * --many-domains} writes 60 domains into one topic of 4 partitions, the job (live, subscribed to
 * a topic pattern) reads it, and a second shared topic created while the job runs is discovered
 * and read too. Every domain's arrivals at the trainer equal exactly what was produced for it.
 */
class ManyDomainsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOMAINS = 60;
    private static final int PER_DOMAIN = 100;

    @TempDir
    Path work;

    @Test
    void aLiveJobReadsManyDomainsFromSharedTopicsIncludingOneCreatedWhileItRuns() throws Exception {
        String prefix = "many-" + UUID.randomUUID().toString().substring(0, 8);
        String run = prefix + "-run";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             LocalFlinkCluster cluster = LocalFlinkCluster.start(0, 4)) {
            assertEquals(0, produce(broker, prefix + ".first"), "produce exit code");

            JobOptions options = JobOptions.parse("--bootstrap-servers", broker.bootstrapServers(),
                    "--topic-pattern", java.util.regex.Pattern.quote(prefix + ".") + ".+",
                    "--run-id", run, "--snapshot-topic", run + "-snapshots", "--metrics-topic", run + "-metrics",
                    "--dead-letter-topic", run + "-dead-letters", "--partition-discovery-ms", "1000",
                    "--metrics-every", "100", "--checkpoint-interval-ms", "1000",
                    "--checkpoint-dir", work.resolve("checkpoints").toString(), "--statistics-parallelism", "2");
            StreamExecutionEnvironment env = new StreamExecutionEnvironment();
            env.setParallelism(2);
            DomainMixJob.buildKafka(env, options);
            StreamGraph graph = env.getStreamGraph();
            LocalFlinkCluster.Submitted job = cluster.submit(graph);
            try {
                JsonNode first = awaitMetrics(broker, run, DOMAINS * PER_DOMAIN);
                assertArrivals(first, PER_DOMAIN);

                // a topic that did not exist when the job started: found by the pattern and read
                assertEquals(0, produce(broker, prefix + ".second"), "produce exit code");
                JsonNode both = awaitMetrics(broker, run, 2L * DOMAINS * PER_DOMAIN);
                assertArrivals(both, 2 * PER_DOMAIN);
                try (Admin admin = broker.admin(Duration.ofSeconds(30))) {
                    assertEquals(4, admin.describeTopics(List.of(prefix + ".first")).allTopicNames().get(60, TimeUnit.SECONDS)
                            .get(prefix + ".first").partitions().size(), "the shared topic's partitions");
                }
                assertEquals(0, readAll(broker, run + "-dead-letters").size(), "dead letters");
            } finally {
                cluster.cancel(job.id());
                job.result().get(2, TimeUnit.MINUTES); // ended before the cluster closes
            }
        }
    }

    /** {@code domainmix produce synthetic --many-domains 60} into one shared topic of 4 partitions. */
    private static int produce(EmbeddedKafkaBroker broker, String topic) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            int code = DomainMixCommand.commandLine().execute("produce", "synthetic", "--many-domains", String.valueOf(DOMAINS),
                    "--count", String.valueOf(PER_DOMAIN), "--rate", "0", "--topic", topic, "--partitions", "4",
                    "--bootstrap-servers", broker.bootstrapServers(), "--no-truth-file", "--no-truth-topic",
                    "--progress", "off");
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("... and " + (DOMAINS - 20) + " more domains"), printed);
            assertTrue(printed.lines().count() < 30, "one line per domain at most for the first 20: " + printed);
            return code;
        } finally {
            System.setErr(err);
        }
    }

    private static void assertArrivals(JsonNode metrics, long each) {
        JsonNode domains = metrics.path("domains");
        assertEquals(DOMAINS, domains.size(), "domains at the trainer");
        for (int i = 1; i <= DOMAINS; i++) {
            String name = String.format("d%02d", i);
            assertEquals(each, domains.path(name).path("arrivals").asLong(), "arrivals of " + name);
        }
    }

    /** The first metrics record that has seen {@code examples} examples (generous timeout: a loaded machine is slow). */
    private static JsonNode awaitMetrics(EmbeddedKafkaBroker broker, String run, long examples) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : readAll(broker, run + "-metrics")) {
                JsonNode m = JSON.readTree(r.value());
                if (m.path("examplesSeen").asLong() == examples) {
                    return m;
                }
                assertTrue(m.path("examplesSeen").asLong() <= 2L * DOMAINS * PER_DOMAIN, "more examples than produced: " + m);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no metrics record with " + examples + " examples seen within 5 minutes");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafkaBroker broker, String topic) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        return new KafkaTopics(p).readAll(topic);
    }
}
