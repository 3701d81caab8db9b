package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseExamplesFunctionTest {

    private static RawRecord record(String topic, long offset, String key, String value) {
        return new RawRecord(topic, 0, offset, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), 0L);
    }

    @Test
    void validRecordsPassWithTheirDomainAndBadOnesBecomeDeadLetters() throws Exception {
        ParseExamplesFunction f = new ParseExamplesFunction(new ExampleSchema(2, LabelKind.REAL, 200), "domainmix", "run");
        try (OneInputStreamOperatorTestHarness<RawRecord, Example> h = ProcessFunctionTestHarnesses.forProcessFunction(f)) {
            h.processElement(record("domainmix.wiki", 0, null, "{\"x\":[1,2],\"y\":3}"), 0);
            h.processElement(record("domainmix.wiki", 1, "news", "{\"x\":[1,2],\"y\":3}"), 0);
            h.processElement(record("shared", 2, "news", "{\"domain\":\"web\",\"x\":[1,2],\"y\":3}"), 0);
            h.processElement(record("shared", 3, null, "{\"x\":[1,2],\"y\":3}"), 0);
            h.processElement(record("domainmix.wiki", 10, "k", "not json"), 0);
            h.processElement(record("domainmix.wiki", 11, null, "{\"x\":[1],\"y\":3}"), 0);
            h.processElement(record("domainmix.wiki", 12, null, "{\"x\":[1,\"a\"],\"y\":3}"), 0);
            h.processElement(record("domainmix.wiki", 13, null, null), 0);
            h.processElement(record("domainmix.wiki", 14, null, "{\"x\":[1,2],\"y\":NaN}"), 0);
            h.processElement(record("domainmix.wiki", 15, null, "{\"x\":[1,2],\"y\":1,\"pad\":\"" + "p".repeat(300) + "\"}"), 0);
            h.processElement(record("domainmix.wiki", 16, null, "[1,2]"), 0);
            h.processElement(record("domainmix.wiki", 17, null, "{\"y\":1}"), 0);
            h.processElement(record("domainmix.sports", 18, null, "{\"x\":[1,2],\"y\":3}"), 0); // topic changes back and forth

            List<String> domains = h.extractOutputValues().stream().map(e -> e.domain).collect(Collectors.toList());
            assertEquals(List.of("wiki", "news", "web", "shared", "sports"), domains);

            List<DeadLetter> dead = h.getSideOutput(ParseExamplesFunction.REJECTED).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertEquals(List.of("NOT_JSON", "WRONG_DIMENSION", "NON_NUMERIC_FEATURE", "EMPTY_RECORD", "NON_FINITE_VALUE",
                            "OVERSIZED_RECORD", "NOT_AN_OBJECT", "MISSING_FEATURES"),
                    dead.stream().map(d -> d.reason).collect(Collectors.toList()));
            DeadLetter first = dead.get(0);
            assertEquals("domainmix.wiki", first.topic);
            assertEquals(10, first.offset);
            assertEquals("k", first.key);
            assertEquals("not json", first.excerpt);
            assertEquals("run", first.runId);
            assertTrue(dead.stream().allMatch(d -> d.detail != null && !d.detail.isEmpty()));
            assertTrue(dead.get(5).excerpt.length() <= DeadLetter.EXCERPT_CHARS + 1);
        }
    }

    @Test
    void binaryRecordsAreAcceptedBesideJsonAndValidatedAlike() throws Exception {
        ParseExamplesFunction f = new ParseExamplesFunction(new ExampleSchema(2, LabelKind.BINARY, 200), "domainmix", "run");
        byte[] good = ExampleBinaryCodec.encode(new Example("wiki", new double[] {1.5, -2}, 1));
        byte[] badLabel = ExampleBinaryCodec.encode(new Example("wiki", new double[] {1.5, -2}, 0.5));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        try (OneInputStreamOperatorTestHarness<RawRecord, Example> h = ProcessFunctionTestHarnesses.forProcessFunction(f)) {
            h.processElement(new RawRecord("domainmix.wiki", 0, 0, null, good, 0L), 0);
            h.processElement(record("domainmix.wiki", 1, null, "{\"x\":[1.5,-2],\"y\":1}"), 0);
            h.processElement(new RawRecord("domainmix.wiki", 0, 2, null, badLabel, 0L), 0);
            h.processElement(new RawRecord("domainmix.wiki", 0, 3, null, truncated, 0L), 0);
            List<Example> out = h.extractOutputValues();
            assertEquals(2, out.size());
            assertEquals(out.get(0), out.get(1), "the same example in either format");
            List<String> reasons = h.getSideOutput(ParseExamplesFunction.REJECTED).stream()
                    .map(r -> r.getValue().reason).collect(Collectors.toList());
            assertEquals(List.of("LABEL_NOT_BINARY", "MALFORMED_RECORD"), reasons);
        }
    }

    @Test
    void excerptsAreBoundedAndPrintable() {
        assertEquals("a\\u000ab", DeadLetter.excerptOf("a\nb".getBytes(StandardCharsets.UTF_8)));
        String big = DeadLetter.excerptOf("x".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        assertEquals(DeadLetter.EXCERPT_CHARS + 1, big.length());
        assertTrue(big.endsWith("…"));
        String binary = DeadLetter.excerptOf(new byte[] {(byte) 0xff, 0, 65});
        assertEquals("\ufffd\\u0000A", binary);
    }
}
