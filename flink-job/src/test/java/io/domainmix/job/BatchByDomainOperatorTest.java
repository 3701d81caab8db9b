package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class BatchByDomainOperatorTest {

    private static OneInputStreamOperatorTestHarness<Example, ExampleBatch> harness(int max, long lingerMs) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new BatchByDomainOperator(max, lingerMs));
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    private static Example ex(String domain, double y) {
        return new Example(domain, new double[] {y}, y);
    }

    /** The batches emitted so far, each as "domain:y,y,...". */
    private static List<String> batches(OneInputStreamOperatorTestHarness<Example, ExampleBatch> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                ExampleBatch b = (ExampleBatch) r.getValue();
                StringBuilder s = new StringBuilder(b.domain).append(':');
                for (int i = 0; i < b.size(); i++) {
                    s.append(i == 0 ? "" : ",").append((int) b.examples[i].y);
                }
                out.add(s.toString());
            }
        }
        return out;
    }

    /** The trainer's batches emitted so far, each as "d:y,d:y,...". */
    private static List<String> inArrivalOrder(OneInputStreamOperatorTestHarness<Example, ExampleBatch> h) {
        List<String> out = new ArrayList<>();
        var records = h.getSideOutput(BatchByDomainOperator.IN_ARRIVAL_ORDER);
        if (records == null) {
            return out;
        }
        for (StreamRecord<TrainerInput> r : records) {
            ExampleBatch b = r.getValue().examples;
            assertEquals(null, b.domain, "a batch in arrival order has no one domain");
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < b.size(); i++) {
                s.append(i == 0 ? "" : ",").append(b.examples[i].domain).append(':').append((int) b.examples[i].y);
            }
            out.add(s.toString());
        }
        return out;
    }

    @Test
    void theTrainersBatchesKeepTheArrivalOrderAcrossDomains() throws Exception {
        try (var h = harness(3, 1000)) {
            int[] ys = {1, 2, 3, 4, 5, 6, 7, 8};
            String[] ds = {"a", "b", "a", "a", "b", "a", "b", "a"};
            for (int i = 0; i < ys.length; i++) {
                h.processElement(ex(ds[i], ys[i]), 0);
            }
            assertEquals(List.of("a:1,b:2,a:3", "a:4,b:5,a:6"), inArrivalOrder(h));
            h.setProcessingTime(1000);
            assertEquals(List.of("a:1,b:2,a:3", "a:4,b:5,a:6", "b:7,a:8"), inArrivalOrder(h), "the linger time flushes");
            assertEquals(List.of("a:1,3,4", "b:2,5,7", "a:6,8"), batches(h), "and the statistics' batches");
        }
    }

    @Test
    void anExampleWhoseSquaredSizeOverflowsGoesToTheStatisticsButNotToTheTrainer() throws Exception {
        try (var h = harness(10, 1000)) {
            h.processElement(ex("a", 1), 0);
            h.processElement(new Example("a", new double[] {1e200}, 2), 0);
            h.processElement(ex("b", 3), 0);
            h.endInput();
            assertEquals(List.of("a:1,b:3"), inArrivalOrder(h));
            assertEquals(List.of("a:1,2", "b:3"), batches(h), "the statistics count it");
        }
    }

    @Test
    void aBatchInArrivalOrderKeepsEachExamplesDomainOverTheWire() throws Exception {
        Example[] mixed = {ex("a", 1), new Example("b", new double[] {2}, 2, 0.5, "id-2", 17L), ex("a", 3)};
        var out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        var serializer = io.domainmix.job.types.ExampleBatchSerializer.INSTANCE;
        serializer.serialize(ExampleBatch.inArrivalOrder(mixed), out);
        serializer.serialize(new ExampleBatch("c", new Example[] {ex("c", 4)}), out);
        var in = new org.apache.flink.core.memory.DataInputDeserializer(out.getCopyOfBuffer());
        ExampleBatch back = serializer.deserialize(in);
        assertEquals(null, back.domain);
        assertEquals(List.of("a", "b", "a"), java.util.Arrays.stream(back.examples).map(e -> e.domain).toList());
        assertEquals(0.5, back.examples[1].weight);
        assertEquals("id-2", back.examples[1].id);
        assertEquals(17L, back.examples[1].timestamp);
        assertEquals("c", serializer.deserialize(in).examples[0].domain, "a batch of one domain still reads after it");
    }

    @Test
    void fullBatchesGoOutAtOnceInEachDomainsOrder() throws Exception {
        try (var h = harness(3, 1000)) {
            int[] ys = {1, 2, 3, 4, 5, 6, 7, 8};
            String[] ds = {"a", "b", "a", "a", "b", "a", "b", "a"};
            for (int i = 0; i < ys.length; i++) {
                h.processElement(ex(ds[i], ys[i]), 0);
            }
            assertEquals(List.of("a:1,3,4", "b:2,5,7"), batches(h));
            h.endInput();
            assertEquals(List.of("a:1,3,4", "b:2,5,7", "a:6,8"), batches(h), "the end of input flushes");
        }
    }

    @Test
    void aPartialBatchWaitsAtMostTheLingerTime() throws Exception {
        try (var h = harness(100, 20)) {
            h.processElement(ex("a", 1), 0);
            h.setProcessingTime(5);
            h.processElement(ex("b", 2), 0);
            h.processElement(ex("a", 3), 0);
            h.setProcessingTime(19);
            assertEquals(List.of(), batches(h));
            h.setProcessingTime(20);
            assertEquals(List.of("a:1,3", "b:2"), batches(h));
            h.processElement(ex("a", 4), 0); // a new timer for the next batch
            h.setProcessingTime(40);
            assertEquals(List.of("a:1,3", "b:2", "a:4"), batches(h));
        }
    }

    @Test
    void nothingIsHeldAcrossACheckpointBarrierOrPastTheEndOfInput() throws Exception {
        try (var h = harness(100, 60_000)) {
            h.processElement(ex("a", 1), 0);
            h.prepareSnapshotPreBarrier(1);
            assertEquals(List.of("a:1"), batches(h), "flushed before the barrier");
            assertTrue(h.snapshot(1, 1).getManagedOperatorState().isEmpty(), "no operator state to hold");

            h.processElement(ex("b", 2), 0);
            h.processWatermark(new Watermark(1_000));
            assertEquals(List.of("a:1"), batches(h), "a pacing watermark neither flushes nor goes on");
            assertTrue(h.getOutput().stream().noneMatch(o -> o instanceof Watermark));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertTrue(out.get(out.size() - 2) instanceof StreamRecord, "the batch before the watermark");
            assertEquals(new Watermark(Long.MAX_VALUE), out.get(out.size() - 1));
        }
    }

    @Test
    void oneExampleBatchesWhenAskedAndBadSettingsAreRefused() throws Exception {
        try (var h = harness(1, 20)) {
            h.processElement(ex("a", 1), 0);
            h.processElement(ex("a", 2), 0);
            assertEquals(List.of("a:1", "a:2"), batches(h));
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchByDomainOperator(0, 20));
        assertThrows(IllegalArgumentException.class, () -> new BatchByDomainOperator(10, 0));
    }
}
