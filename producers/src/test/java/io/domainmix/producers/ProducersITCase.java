package io.domainmix.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import io.domainmix.producers.file.BadLine;
import io.domainmix.producers.file.FileExamples;
import io.domainmix.testkit.InProcessKafka;
import io.domainmix.testkit.KafkaTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both producers against a real in-process KRaft broker. */
class ProducersITCase {
    private static InProcessKafka broker;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ExampleProducer.Output output =
            ExampleProducer.Output.quiet(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @BeforeAll
    static void startBroker() throws Exception {
        broker = InProcessKafka.shared();
    }


    private KafkaTarget target() {
        return new KafkaTarget(broker.bootstrapServers(), Map.of(), Optional.of(2), Optional.empty(), true);
    }

    private static List<Example> decodeAll(List<ConsumerRecord<String, byte[]>> records, int dimension, String topicDomain) {
        ExampleJsonCodec codec = new ExampleJsonCodec(new ExampleSchema(dimension, LabelKind.REAL));
        List<Example> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            DecodeResult d = codec.decode(r.value(), r.key(), topicDomain);
            assertTrue(d.isAccepted(), d.describe());
            assertEquals(r.key(), d.example().domain, "key = domain");
            out.add(d.example());
        }
        return out;
    }

    @Test
    void syntheticRunLandsExactCountsInPerDomainTopicsWithDomainKeys() throws Exception {
        String prefix = KafkaTopics.unique("syn");
        SyntheticPlan plan = SyntheticPlan.ofDomainOptions("three", ModelType.LINEAR, 3, 17, List.of(
                "name=a,scale=1,noise=1,rate=0,count=700",
                "name=b,scale=100,noise=1,rate=2000,count=400",
                "name=c,scale=1,noise=20,rate=1000,count=150,delay=0.3"), 0, 0);
        TopicLayout layout = TopicLayout.perDomain(prefix, TopicLayout.defaultTruthTopic(prefix));
        Path truthFile = dir.resolve("truth.json");
        SyntheticProducer producer = new SyntheticProducer(plan, target(), layout, truthFile, output);
        producer.run();

        ProduceSummary s = producer.summary();
        assertTrue(s.succeeded(), s.oneLine());
        assertEquals(Map.of("a", 700L, "b", 400L, "c", 150L), s.delivered());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("synthetic three: 1250 examples delivered (a 700, b 400, c 150)"),
                printed.toString(StandardCharsets.UTF_8));

        GroundTruth truth = plan.groundTruth();
        List<SyntheticDomain> reference = plan.generators(truth);
        for (int k = 0; k < 3; k++) {
            DomainPlan d = plan.domains().get(k);
            String topic = prefix + "." + d.name();
            assertEquals(d.count(), broker.topics().endOffset(topic), "records ever written to " + topic);
            List<Example> got = decodeAll(broker.topics().readCommitted(topic), 3, null);
            assertEquals(d.count(), got.size());
            Set<String> ids = new HashSet<>();
            for (Example e : got) {
                assertEquals(d.name(), e.domain);
                assertTrue(ids.add(e.id), "duplicate " + e.id);
            }
            for (int i = 0; i < d.count(); i++) {
                assertTrue(ids.contains(d.name() + "-" + i), "missing " + d.name() + "-" + i);
            }
            // the same examples the seeded generator gives (order within one partition is kept)
            Map<String, Example> byId = new HashMap<>();
            got.forEach(e -> byId.put(e.id, e));
            for (int i = 0; i < d.count(); i++) {
                Example want = reference.get(k).next();
                Example e = byId.get(d.name() + "-" + i);
                assertArrayEquals(want.x, e.x, 0.0, "x of " + e.id);
                assertEquals(want.y, e.y, 0.0, "y of " + e.id);
            }
        }

        // the ground truth: in the file and once in the truth topic, keyed by the run name
        List<ConsumerRecord<String, byte[]>> truthRecords = broker.topics().readCommitted(prefix + "-truth");
        assertEquals(1, truthRecords.size());
        assertEquals("three", truthRecords.get(0).key());
        ObjectMapper json = new ObjectMapper();
        JsonNode fromTopic = json.readTree(truthRecords.get(0).value());
        JsonNode fromFile = json.readTree(truthFile.toFile());
        assertEquals(fromFile, fromTopic);
        GroundTruth read = json.treeToValue(fromTopic.get("truth"), GroundTruth.class);
        assertArrayEquals(truth.theta, read.theta, 0.0);
        assertEquals(17, fromTopic.get("seed").asLong());
        assertEquals(prefix + ".c", fromTopic.get("domains").get(2).get("topic").asText());
        assertEquals(20.0, fromTopic.get("domains").get(2).get("noise").asDouble());
    }

    @Test
    void anExperimentWithAChangeIsProducedInTheSimulatorsStreamOrderAndStamped() throws Exception {
        String prefix = KafkaTopics.unique("arrive");
        long perDomain = 1000;
        SyntheticPlan plan = SyntheticPlan.ofExperiment("arrive", 4, 9, 0, perDomain);
        TopicLayout layout = TopicLayout.perDomain(prefix, TopicLayout.defaultTruthTopic(prefix));
        SyntheticProducer producer = new SyntheticProducer(plan, target(), layout, dir.resolve("truth.json"), output);
        producer.run();
        assertTrue(producer.summary().succeeded(), producer.summary().oneLine());

        // the reference: the simulator's stream of the same experiment, seed and length
        long length = perDomain * 3;
        io.domainmix.core.synth.Experiment e = io.domainmix.core.synth.Experiment.named("arrive", 4);
        io.domainmix.core.synth.Experiment.Arrivals reference = e.arrivals(e.groundTruth(9), 9, length);
        Map<String, ConsumerRecord<String, byte[]>> byId = new HashMap<>();
        Map<String, Example> examples = new HashMap<>();
        for (String domain : List.of("d1", "d2", "d3")) {
            List<ConsumerRecord<String, byte[]>> records = broker.topics().readCommitted(prefix + "." + domain);
            List<Example> got = decodeAll(records, 4, null);
            for (int i = 0; i < got.size(); i++) {
                byId.put(got.get(i).id, records.get(i));
                examples.put(got.get(i).id, got.get(i));
            }
        }
        assertEquals(length, byId.size(), "every example of the stream, once");
        Map<String, Integer> seen = new HashMap<>();
        long previousStamp = Long.MIN_VALUE;
        for (long i = 0; i < length; i++) {
            int k = reference.nextDomain();
            Example want = reference.next(k);
            String id = want.domain + "-" + (seen.merge(want.domain, 1, Integer::sum) - 1);
            Example got = examples.get(id);
            assertArrayEquals(want.x, got.x, 0.0, "x of " + id);
            assertEquals(want.y, got.y, 0.0, "y of " + id);
            long stamp = byId.get(id).timestamp();
            assertTrue(stamp > previousStamp, "record times follow the stream order at " + i);
            previousStamp = stamp;
            if (i < 0.3 * length) {
                assertTrue(!"d3".equals(want.domain), "d3 before 30 % of the stream");
            }
        }
        assertTrue(seen.get("d3") > 0.6 * perDomain, "d3 arrives for 70 % of the stream at a third: " + seen);
        JsonNode truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
        assertEquals(0.3, truth.get("changeAt").asDouble(), 0.0);
        assertEquals("d3", truth.get("changedDomain").asText());
        assertEquals(length, truth.get("examples").asLong());
        assertEquals(0.3, truth.get("domains").get(2).get("startsAt").asDouble(), 0.0);
    }

    @Test
    void sharedTopicCarriesTheDomainInKeyAndRecord() throws Exception {
        String prefix = KafkaTopics.unique("shared");
        SyntheticPlan plan = SyntheticPlan.ofExperiment("logistic-mixed", 4, 3, 0, 250);
        TopicLayout layout = TopicLayout.shared(prefix + "-all", prefix, null);
        SyntheticProducer producer = new SyntheticProducer(plan, target(), layout, null, output);
        producer.run();
        assertTrue(producer.summary().succeeded(), producer.summary().oneLine());

        List<ConsumerRecord<String, byte[]>> records = broker.topics().readCommitted(prefix + "-all");
        assertEquals(500, records.size());
        ExampleJsonCodec codec = new ExampleJsonCodec(new ExampleSchema(4, LabelKind.BINARY));
        Map<String, Integer> perKey = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            // decoded with neither key nor topic: the domain must be in the record itself
            DecodeResult d = codec.decode(r.value(), null, null);
            assertTrue(d.isAccepted(), d.describe());
            assertEquals(r.key(), d.example().domain);
            perKey.merge(r.key(), 1, Integer::sum);
        }
        assertEquals(Map.of("d1", 250, "d2", 250), perKey);
        assertFalse(broker.topics().names().contains(prefix + "-truth"), "no truth topic when none is asked for");
    }

    @Test
    void binaryFormatRecordsDecodeToTheSameExamplesAsJson() throws Exception {
        String prefix = KafkaTopics.unique("binary");
        SyntheticPlan plan = SyntheticPlan.ofExperiment("linear-noise", 5, 9, 0, 300);
        for (WireFormat f : WireFormat.values()) {
            TopicLayout layout = TopicLayout.perDomain(prefix + "-" + f, null).withFormat(f);
            SyntheticProducer producer = new SyntheticProducer(plan, target(), layout, null, output);
            producer.run();
            assertTrue(producer.summary().succeeded(), producer.summary().oneLine());
        }
        ExampleSchema schema = new ExampleSchema(5, LabelKind.REAL);
        ExampleBinaryCodec binary = new ExampleBinaryCodec(schema);
        for (String d : List.of("d1", "d2")) {
            List<ConsumerRecord<String, byte[]>> records = broker.topics().readCommitted(prefix + "-binary." + d);
            assertEquals(300, records.size());
            Map<String, Example> fromJson = new HashMap<>();
            decodeAll(broker.topics().readCommitted(prefix + "-json." + d), 5, null).forEach(e -> fromJson.put(e.id, e));
            for (ConsumerRecord<String, byte[]> r : records) {
                assertTrue(ExampleBinaryCodec.isBinary(r.value()), "a binary record");
                DecodeResult got = binary.decode(r.value(), null, null);
                assertTrue(got.isAccepted(), got.describe());
                assertEquals(fromJson.get(got.example().id), got.example(), "the same example as its JSON twin");
            }
        }
        assertEquals(WireFormat.BINARY, WireFormat.parse(" Binary "));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> WireFormat.parse("avro"));
        assertTrue(bad.getMessage().contains("allowed: json, binary") && bad.getMessage().contains("avro"), bad.getMessage());
    }

    @Test
    void withoutKeysADomainSpreadsOverItsTopicsPartitions() throws Exception {
        String prefix = KafkaTopics.unique("nokeys");
        SyntheticPlan plan = SyntheticPlan.ofExperiment("linear-noise", 5, 4, 0, 2000);
        TopicLayout layout = TopicLayout.perDomain(prefix, null).withoutKeys();
        SyntheticProducer producer = new SyntheticProducer(plan, target(), layout, null, output);
        producer.run();
        assertTrue(producer.summary().succeeded(), producer.summary().oneLine());
        for (String d : List.of("d1", "d2")) {
            List<ConsumerRecord<String, byte[]>> records = broker.topics().readCommitted(prefix + "." + d);
            assertEquals(2000, records.size());
            assertTrue(records.stream().allMatch(r -> r.key() == null), "no keys");
            // the sticky partitioner moves on after every full batch: about 20 moves here
            assertEquals(Set.of(0, 1), records.stream().map(ConsumerRecord::partition).collect(java.util.stream.Collectors.toSet()),
                    "both partitions of " + d);
            ExampleJsonCodec codec = new ExampleJsonCodec(new ExampleSchema(5, LabelKind.REAL));
            for (ConsumerRecord<String, byte[]> r : records) {
                DecodeResult got = codec.decode(r.value(), null, null);
                assertTrue(got.isAccepted(), got.describe());
                assertEquals(d, got.example().domain, "the domain is in the record");
            }
        }
    }

    private static final String CSV = String.join("\n",
            "city,note,temp,wind,demand",         // 1
            "oslo,\"cold, dark\",-3.5,12,410",    // 2
            "lima,mild,18,4,300",                 // 3
            "oslo,,-1,x7,400",                    // 4 bad: wind is not a number
            "lima,\"quoted \"\"note\"\"\",19,5,", // 5 bad: missing label
            "oslo,windy,2,30,380",                // 6
            "lima,short,20",                      // 7 bad: wrong column count
            "rome,\"multi",                       // 8 good, a quoted line break
            "line\",25,3,250",                    // 9
            "",                                   // 10 blank
            "rome,,NA,2,260",                     // 11 bad: missing feature
            "");

    @Test
    void fileReplayLandsEveryGoodLineAndReportsTheBadOnes() throws Exception {
        Path csv = Files.writeString(dir.resolve("demand.csv"), CSV);
        String prefix = KafkaTopics.unique("file");
        FileExamples.Options o = new FileExamples.Options();
        o.file = csv;
        o.domainColumn = "city";
        o.labelColumn = "demand";
        Path badLines = dir.resolve("bad-lines.txt");
        FileReplayProducer producer = new FileReplayProducer(o, target(), TopicLayout.perDomain(prefix, null), 0,
                FileReplayProducer.DEFAULT_PRINTED_BAD_LINES, badLines, output);
        producer.run();
        ProduceSummary s = producer.summary();
        assertNull(s.error(), s.oneLine());
        assertEquals(Map.of("oslo", 2L, "lima", 1L, "rome", 1L), s.delivered());
        assertEquals(Map.of("not a number", 1L, "missing label", 1L, "wrong column count", 1L, "missing value", 1L),
                s.skippedByReason());
        List<Long> lines = new ArrayList<>();
        for (BadLine b : producer.firstBadLines()) {
            lines.add(b.line());
        }
        assertEquals(List.of(4L, 5L, 7L, 11L), lines);
        String all = Files.readString(badLines);
        assertTrue(all.contains("demand.csv line 4: not a number: feature column 'wind' is 'x7'"), all);
        assertTrue(all.contains("demand.csv line 11: missing value: no value in feature column 'temp'"), all);
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("skipped demand.csv line 7: wrong column count"), out);
        assertTrue(out.contains("4 lines skipped (1 not a number, 1 missing label, 1 wrong column count, 1 missing value)"), out);

        Map<String, List<Example>> got = new HashMap<>();
        for (String city : List.of("oslo", "lima", "rome")) {
            got.put(city, decodeAll(broker.topics().readCommitted(prefix + "." + city), 2, null));
        }
        assertEquals(2, got.get("oslo").size());
        assertEquals("demand.csv:2", got.get("oslo").get(0).id);
        assertArrayEquals(new double[] {-3.5, 12}, got.get("oslo").get(0).x);
        assertEquals(410.0, got.get("oslo").get(0).y);
        assertEquals("demand.csv:6", got.get("oslo").get(1).id);
        assertEquals("demand.csv:3", got.get("lima").get(0).id);
        assertEquals("demand.csv:8", got.get("rome").get(0).id);
        assertArrayEquals(new double[] {25, 3}, got.get("rome").get(0).x);
    }

    @Test
    void strictReplayStopsAtTheFirstBadLineAfterDeliveringTheLinesBeforeIt() throws Exception {
        Path csv = Files.writeString(dir.resolve("demand.csv"), CSV);
        String prefix = KafkaTopics.unique("strict");
        FileExamples.Options o = new FileExamples.Options();
        o.file = csv;
        o.domainColumn = "city";
        o.labelColumn = "demand";
        o.features = List.of("temp", "wind");
        o.strict = true;
        FileReplayProducer producer = new FileReplayProducer(o, target(), TopicLayout.shared(prefix + "-all", prefix, null),
                0, 20, null, output);
        producer.run();
        ProduceSummary s = producer.summary();
        assertFalse(s.succeeded());
        assertNotNull(s.error());
        assertTrue(s.error().startsWith("demand.csv line 4: not a number"), s.error());
        assertEquals(2, s.deliveredTotal());
        assertEquals(2, broker.topics().readCommitted(prefix + "-all").size());
    }

    @Test
    void closeStopsAnEndlessRunAndEverythingSentIsDelivered() throws Exception {
        String prefix = KafkaTopics.unique("stop");
        SyntheticPlan plan = SyntheticPlan.ofDomainOptions("endless", ModelType.LINEAR, 2, 1,
                List.of("name=x,rate=3000,count=0", "name=y,rate=1000,count=0"), 0, 0);
        SyntheticProducer producer = new SyntheticProducer(plan, target(), TopicLayout.perDomain(prefix, null), null, output);
        Thread runner = new Thread(producer, "producer");
        runner.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (producer.deliveredSoFar() < 2000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        producer.close(); // what the shutdown hook does on Ctrl-C
        ProduceSummary s = producer.summary();
        assertNotNull(s, "close() returns after the run has flushed and summed up");
        runner.join(5000);
        assertFalse(runner.isAlive());
        assertTrue(s.stoppedEarly(), s.oneLine());
        assertNull(s.error());
        assertEquals(0, s.failed());
        long x = s.delivered().get("x");
        long y = s.delivered().get("y");
        assertEquals(x, broker.topics().endOffset(prefix + ".x"), "every example sent before the stop is in the topic");
        assertEquals(y, broker.topics().endOffset(prefix + ".y"));
        assertTrue(x + y >= 2000, "x " + x + ", y " + y);
        assertEquals(3.0, (double) x / y, 0.3, "paced 3:1, x " + x + ", y " + y);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("stopped before the end"));
    }
}
