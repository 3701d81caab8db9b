package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Malformed records of many kinds end up in the dead-letter topic, counted, and never reach the model. */
class DeadLetterITCase {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
            .setConfiguration(REPORTER.addToConfiguration(new Configuration())).build());

    /** Ten kinds of bad record, with the reason each must get. */
    static final List<String[]> BAD = List.of(
            new String[] {"NOT_JSON", "{\"x\": [1, 2"},
            new String[] {"NOT_AN_OBJECT", "[1, 2, 3]"},
            new String[] {"MISSING_FEATURES", "{\"y\": 1}"},
            new String[] {"FEATURES_NOT_AN_ARRAY", "{\"x\": 3, \"y\": 1}"},
            new String[] {"NON_NUMERIC_FEATURE", "{\"x\": [\"a\"], \"y\": 1}"},
            new String[] {"MISSING_LABEL", "{\"x\": [" + "1,".repeat(19) + "1]}"},
            new String[] {"NON_NUMERIC_LABEL", "{\"x\": [" + "1,".repeat(19) + "1], \"y\": \"high\"}"},
            new String[] {"NON_FINITE_VALUE", "{\"x\": [" + "1,".repeat(19) + "NaN], \"y\": 1}"},
            new String[] {"WRONG_DIMENSION", "{\"x\": [1, 2, 3], \"y\": 1}"},
            new String[] {"OVERSIZED_RECORD", "{\"x\": [" + "1,".repeat(19) + "1], \"y\": 1, \"pad\": \"" + "p".repeat(5000) + "\"}"});

    @Test
    void everyMalformedRecordIsADeadLetterAndEveryValidOneIsCounted() throws Exception {
        String prefix = TestKafka.unique("bad");
        String run = TestKafka.unique("dead-letters");
        TestKafka.createTopics(2, prefix + ".d1", prefix + ".d2");
        Experiment ex = Experiment.named("linear-noise", 20);
        var arrivals = ex.arrivals(ex.groundTruth(3), 3);
        Map<String, Long> valid = new TreeMap<>();
        int bad = 0;
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (int i = 0; i < 21_000; i++) {
                if (i % 21 == 20) {
                    String[] kind = BAD.get(bad % BAD.size());
                    String topic = prefix + (bad % 2 == 0 ? ".d1" : ".d2");
                    TestKafka.send(producer, topic, null, kind[1].getBytes(StandardCharsets.UTF_8));
                    bad++;
                } else {
                    Example e = arrivals.next();
                    TestKafka.send(producer, prefix + "." + e.domain, null, ExampleJsonCodec.encode(e));
                    valid.merge(e.domain, 1L, Long::sum);
                }
            }
        }
        assertEquals(1000, bad);

        JobOptions options = JobOptions.parse(JobRuns.options(prefix, run, "--max-record-bytes", "4096")
                .toArray(new String[0]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DomainMixJob.buildKafka(env, options);
        JobExecutionResult result = env.execute(options.jobName());

        List<ConsumerRecord<byte[], byte[]>> letters = TestKafka.readAll(run + "-dead-letters");
        assertEquals(1000, letters.size());
        Map<String, Integer> byReason = new TreeMap<>();
        Set<String> positions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            JsonNode d = JobJson.tree(r.value());
            byReason.merge(d.path("reason").asText(), 1, Integer::sum);
            assertTrue(d.path("topic").asText().startsWith(prefix + "."), d.toString());
            assertTrue(!d.path("detail").asText().isEmpty(), d.toString());
            assertTrue(d.path("excerpt").asText().length() <= DeadLetter.EXCERPT_CHARS + 1);
            positions.add(d.path("topic").asText() + "/" + d.path("partition").asInt() + "/" + d.path("offset").asLong());
        }
        assertEquals(1000, positions.size(), "each dead letter names a distinct source record");
        Map<String, Integer> expected = new TreeMap<>();
        for (String[] kind : BAD) {
            expected.put(kind[0], 100);
        }
        assertEquals(expected, byReason);

        long rejected = REPORTER.findMetrics(result.getJobID(), ParseExamplesFunction.REJECTED_METRIC).values().stream()
                .mapToLong(m -> ((Counter) m).getCount()).sum();
        assertEquals(1000, rejected, "the rejected-records metric");
        long accepted = REPORTER.findMetrics(result.getJobID(), ParseExamplesFunction.ACCEPTED_METRIC).values().stream()
                .mapToLong(m -> ((Counter) m).getCount()).sum();
        assertEquals(20_000, accepted);

        JsonNode metrics = JobRuns.finalMetrics(run);
        for (var d : valid.entrySet()) {
            assertEquals(d.getValue().longValue(), metrics.path("domains").path(d.getKey()).path("n").asLong(), d.getKey());
            assertEquals(d.getValue().longValue(), metrics.path("domains").path(d.getKey()).path("arrivals").asLong());
        }
        ModelSnapshot last = JobRuns.finalSnapshot(run);
        for (double v : last.averagedTheta) {
            assertTrue(Double.isFinite(v));
        }
        for (double v : last.theta) {
            assertTrue(Double.isFinite(v));
        }
        assertEquals(20_000, last.examplesSeen);
        System.out.println("dead letters by reason: " + byReason + "; rejected metric " + rejected);
    }

    static long sum(Map<String, Metric> metrics) {
        return metrics.values().stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }
}
