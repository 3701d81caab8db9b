package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.stats.DomainStats;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DomainStatisticsFunctionTest {

    private static TrainerSettings settings() {
        return new TrainerSettings(ModelSpec.linear(20, false),
                new WeightSettings(LossWeightPolicy.FGLS, SamplingPolicy.VA, ImportanceMode.CORRECTED));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ExampleBatch, TrainerInput> harness() throws Exception {
        var h = unopened();
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ExampleBatch, TrainerInput> unopened() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DomainStatisticsFunction(settings(), 1000, 1000)),
                new DomainMixJob.ByDomain(), Types.STRING, 128, 1, 0);
    }

    private static List<Example> examples(int n, long seed) {
        Experiment ex = Experiment.named("linear-noise", 20);
        GroundTruth truth = ex.groundTruth(seed);
        Experiment.Arrivals arrivals = ex.arrivals(truth, seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(arrivals.next());
        }
        return out;
    }

    private static DomainStatistics state(KeyedOneInputStreamOperatorTestHarness<String, ExampleBatch, TrainerInput> h,
                                          String domain) throws Exception {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getOneInputOperator();
        op.setCurrentKey(domain);
        return op.getKeyedStateStore().getState(DomainStatisticsFunction.STATISTICS_STATE).value();
    }

    @Test
    void keepsExactCountsAndFglsStatisticsAndEmitsSummariesOnCountTimeAndEnd() throws Exception {
        List<Example> data = examples(3000, 7);
        // the expected statistics, computed by the core classes directly
        java.util.Map<String, DomainStatistics> expected = new java.util.HashMap<>();

        try (var h = harness()) {
            h.setProcessingTime(0);
            for (Example e : data) {
                h.processElement(ExampleBatch.of(e), 0);
                expected.computeIfAbsent(e.domain, d -> DomainStatistics.create(20, false, true)).observe(e);
            }
            List<TrainerInput> out = h.extractOutputValues();
            List<DomainStats> summaries = out.stream().filter(in -> in.stats != null).map(in -> in.stats).toList();
            assertEquals(0, out.stream().filter(TrainerInput::isExamples).count(), "the trainer gets its examples elsewhere");
            // count trigger: one summary per 1000 examples of a domain (about 1500 each here)
            assertEquals(2, summaries.size(), summaries.toString());
            assertTrue(summaries.stream().allMatch(s -> s.count == 1000 && s.fgls != null && s.fgls.n == 1000));

            for (String d : List.of("d1", "d2")) {
                DomainStatistics actual = state(h, d);
                DomainStatistics want = expected.get(d);
                assertEquals(want.count, actual.count);
                assertArrayEquals(want.fgls.gram, actual.fgls.gram, 0.0);
                assertArrayEquals(want.fgls.xty, actual.fgls.xty, 0.0);
                assertEquals(want.fgls.yy, actual.fgls.yy, 0.0);
            }

            // time trigger: both domains have unsent examples
            h.setProcessingTime(1000);
            List<DomainStats> timed = h.extractOutputValues().stream().filter(in -> in.stats != null).map(in -> in.stats)
                    .skip(2).toList();
            assertEquals(2, timed.size());
            for (DomainStats s : timed) {
                assertEquals(expected.get(s.domain).count, s.count);
                assertEquals(expected.get(s.domain).fgls.n, s.fgls.n);
            }
            assertEquals(0, h.numProcessingTimeTimers());

            // end of input: a final summary for every domain (no other input holds event time back)
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<DomainStats> all = h.extractOutputValues().stream().filter(in -> in.stats != null).map(in -> in.stats).toList();
            assertEquals(6, all.size());
        }
    }

    @Test
    void nonFiniteExamplesAreCountedAndLeftOutOfTheStatistics() throws Exception {
        try (var h = harness()) {
            double[] huge = new double[20];
            java.util.Arrays.fill(huge, 1e200);
            List<Example> good = examples(40, 3).stream().filter(e -> e.domain.equals("d1")).limit(3).toList();
            Example bad = new Example("d1", huge, 1.0);
            h.processElement(new ExampleBatch("d1", new Example[] {good.get(0), bad, good.get(1), good.get(2)}), 0);
            h.processElement(new ExampleBatch("d1", new Example[] {bad}), 0);

            assertEquals(List.of(), h.extractOutputValues(), "no summary due yet, and never examples");
            DomainStatistics s = state(h, "d1");
            assertEquals(5, s.count);
            assertEquals(2, s.skippedNonFinite);
            assertEquals(3, s.fgls.n, "the overflowing examples are kept out of the sufficient statistics");
        }
    }

    @Test
    void aBatchUpdatesTheStatisticsExactlyAsItsExamplesOneByOne() throws Exception {
        List<Example> d1 = examples(2000, 5).stream().filter(e -> e.domain.equals("d1")).toList();
        try (var batched = harness(); var single = harness()) {
            for (int i = 0; i < d1.size(); i += 37) {
                List<Example> part = d1.subList(i, Math.min(d1.size(), i + 37));
                batched.processElement(new ExampleBatch("d1", part.toArray(new Example[0])), 0);
                for (Example e : part) {
                    single.processElement(ExampleBatch.of(e), 0);
                }
            }
            DomainStatistics a = state(batched, "d1");
            DomainStatistics b = state(single, "d1");
            assertEquals(b.count, a.count);
            assertArrayEquals(b.fgls.gram, a.fgls.gram, 0.0);
            // the count trigger fires after the batch that crosses it
            assertEquals(d1.size() / 1000, batched.extractOutputValues().stream().filter(in -> in.stats != null).count());
        }
    }

    @Test
    void restoresItsStateFromACheckpoint() throws Exception {
        List<Example> data = examples(800, 11);
        OperatorSubtaskState checkpoint;
        DomainStatistics before;
        try (var h = harness()) {
            for (Example e : data.subList(0, 400)) {
                h.processElement(ExampleBatch.of(e), 0);
            }
            checkpoint = h.snapshot(1, 1);
            before = state(h, "d1");
        }
        try (var restored = unopened()) {
            restored.initializeState(checkpoint);
            restored.open();
            DomainStatistics after = state(restored, "d1");
            assertEquals(before.count, after.count);
            assertArrayEquals(before.fgls.xty, after.fgls.xty, 0.0);
            assertArrayEquals(before.fgls.gram, after.fgls.gram, 0.0);
            assertNull(state(restored, "nope"));
        }
    }
}
