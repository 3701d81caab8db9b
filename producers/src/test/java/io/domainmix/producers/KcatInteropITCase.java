package io.domainmix.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.data.RejectionReason;
import io.domainmix.core.model.ModelType;
import io.domainmix.testkit.ExternalTool;
import io.domainmix.testkit.InProcessKafka;
import io.domainmix.testkit.KafkaTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON example format with a client no one here wrote: records typed by hand and produced
 * with the real {@code kcat} binary decode with the job's codec, and records from our producer
 * read back by {@code kcat} decode too. Where kcat is not installed ({@code apt-get install kcat})
 * each test is reported as skipped with that reason; with {@code CI=true} it fails instead.
 */
class KcatInteropITCase {
    private static InProcessKafka broker;

    @BeforeAll
    static void start() {
        broker = InProcessKafka.shared();
    }

    /** In each test, not in {@code @BeforeAll}: only there is a skip reported per test, with its reason. */
    @BeforeEach
    void requireKcat() {
        ExternalTool.requireOnPath(List.of("kcat"), "apt-get install kcat");
    }

    /** Runs kcat with {@code input} on stdin; returns its stdout, failing on a non-zero exit. */
    private static String kcat(String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("kcat");
        cmd.add("-b");
        cmd.add(broker.bootstrapServers());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        copy(p.getInputStream(), out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kcat did not finish within 60 s");
        errReader.join();
        assertEquals(0, p.exitValue(), "kcat " + cmd + " failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void examplesTypedByHandAndProducedWithKcatDecode() throws Exception {
        String topic = KafkaTopics.unique("kcat") + ".wiki";
        // key|value, one record a line, as a user would type them; the last one is not valid
        String lines = String.join("\n",
                "wiki|{\"domain\": \"wiki\", \"x\": [0.12, -1.3, 4.0], \"y\": 2.5}",
                "wiki|{\"x\": [1, 2, 3], \"y\": -1, \"id\": \"by-hand-2\", \"ts\": 1700000000000, \"w\": 0.5}",
                "news|{\"x\": [0.5, 0.25, 0.125], \"y\": 0}",
                "wiki|{\"x\": [1, 2], \"y\": 1}",
                "");
        broker.topics().create(1, topic);
        kcat(lines, "-P", "-t", topic, "-K", "|");

        List<ConsumerRecord<String, byte[]>> records = broker.topics().readCommitted(topic);
        assertEquals(4, records.size());
        ExampleJsonCodec codec = new ExampleJsonCodec(new ExampleSchema(3, LabelKind.REAL));
        DecodeResult first = codec.decode(records.get(0).value(), records.get(0).key(), "wiki");
        assertTrue(first.isAccepted(), first.describe());
        assertEquals(2.5, first.example().y);
        assertEquals(-1.3, first.example().x[1]);
        DecodeResult second = codec.decode(records.get(1).value(), records.get(1).key(), "wiki");
        assertTrue(second.isAccepted(), second.describe());
        assertEquals("by-hand-2", second.example().id);
        assertEquals(1700000000000L, second.example().timestamp);
        assertEquals(0.5, second.example().weight);
        DecodeResult third = codec.decode(records.get(2).value(), records.get(2).key(), "wiki");
        assertTrue(third.isAccepted(), third.describe());
        assertEquals("news", third.example().domain, "no domain field: the key names it");
        DecodeResult fourth = codec.decode(records.get(3).value(), records.get(3).key(), "wiki");
        assertFalse(fourth.isAccepted());
        assertEquals(RejectionReason.WRONG_DIMENSION, fourth.reason());
    }

    @Test
    void ourRecordsReadBackWithKcatDecode() throws Exception {
        String prefix = KafkaTopics.unique("kcat-read");
        SyntheticPlan plan = SyntheticPlan.ofDomainOptions("kcat", ModelType.LINEAR, 5, 3,
                List.of("name=alpha,count=60", "name=beta,scale=9,noise=4,count=40"), 0, 0);
        SyntheticProducer producer = new SyntheticProducer(plan, KafkaTarget.of(broker.bootstrapServers()),
                TopicLayout.shared(prefix + "-all", prefix, null), null,
                ExampleProducer.Output.quiet(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        producer.run();
        assertTrue(producer.summary().succeeded(), producer.summary().oneLine());

        // key TAB value, one record a line; -e: exit at the end of the topic
        String out = kcat("", "-C", "-t", prefix + "-all", "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n");
        ExampleJsonCodec codec = new ExampleJsonCodec(new ExampleSchema(5, LabelKind.REAL));
        Map<String, Integer> perDomain = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            DecodeResult d = codec.decode(line.substring(tab + 1), line.substring(0, tab), null);
            assertTrue(d.isAccepted(), d.describe() + ": " + line);
            assertEquals(line.substring(0, tab), d.example().domain);
            perDomain.merge(d.example().domain, 1, Integer::sum);
        }
        assertEquals(Map.of("alpha", 60, "beta", 40), perDomain);
    }
}
