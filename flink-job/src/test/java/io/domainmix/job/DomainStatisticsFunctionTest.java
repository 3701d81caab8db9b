package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.stats.DomainStats;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import io.domainmix.core.weights.ImportanceMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DomainStatisticsFunctionTest {
    private static final String RUN = "run-1";
    private static final double BETA = 0.001;

    private static TrainerSettings settings() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(20, false),
                new WeightSettings(LossWeightPolicy.FGLS, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        s.emaBeta = BETA;
        return s;
    }

    private static KeyedBroadcastOperatorTestHarness<String, ExampleBatch, ModelSnapshot, TrainerInput> harness() throws Exception {
        var h = unopened();
        h.open();
        return h;
    }

    private static KeyedBroadcastOperatorTestHarness<String, ExampleBatch, ModelSnapshot, TrainerInput> unopened() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new DomainStatisticsFunction(settings(), RUN, 1000, 1000),
                        List.of(DomainStatisticsFunction.SNAPSHOT_STATE)),
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

    private static ModelSnapshot snapshot(String run, long version, double value) {
        ModelSnapshot s = new ModelSnapshot();
        s.runId = run;
        s.version = version;
        s.theta = new double[20];
        s.averagedTheta = new double[20];
        java.util.Arrays.fill(s.theta, value);
        java.util.Arrays.fill(s.averagedTheta, value / 2);
        return s;
    }

    private static DomainStatistics state(KeyedBroadcastOperatorTestHarness<String, ExampleBatch, ModelSnapshot, TrainerInput> h,
                                          String domain) throws Exception {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getTwoInputOperator();
        op.setCurrentKey(domain);
        return op.getKeyedStateStore().getState(DomainStatisticsFunction.STATISTICS_STATE).value();
    }

    @Test
    void evaluatesUnderTheNewestSnapshotAndEmitsSummariesOnCountTimeAndEnd() throws Exception {
        List<Example> data = examples(3000, 7);
        TrainerSettings settings = settings();
        Model model = settings.model.create();
        double[] theta0 = Trainer.newState(settings).theta;
        ModelSnapshot v2 = snapshot(RUN, 2, 0.1);
        // the expected statistics, computed by the core classes directly
        java.util.Map<String, DomainStatistics> expected = new java.util.HashMap<>();
        double[] scratch = new double[model.parameterCount()];

        try (var h = harness()) {
            h.setProcessingTime(0);
            for (int i = 0; i < data.size(); i++) {
                if (i == 1500) {
                    h.processBroadcastElement(v2, 0);
                    h.processBroadcastElement(snapshot(RUN, 1, 5.0), 0); // older: ignored
                    h.processBroadcastElement(snapshot("other-run", 9, 5.0), 0); // another run's: ignored
                }
                Example e = data.get(i);
                h.processElement(ExampleBatch.of(e), 0);
                DomainStatistics s = expected.computeIfAbsent(e.domain, d -> DomainStatistics.create(20, false, true));
                s.observe(model, i < 1500 ? theta0 : v2.averagedTheta, i < 1500 ? theta0 : v2.theta, e, BETA, scratch);
            }
            assertEquals(2, h.getBroadcastState(DomainStatisticsFunction.SNAPSHOT_STATE).get(RUN).version);

            List<TrainerInput> out = h.extractOutputValues();
            List<DomainStats> summaries = out.stream().filter(in -> in.stats != null).map(in -> in.stats).toList();
            assertEquals(3000, out.stream().filter(TrainerInput::isExamples).mapToInt(in -> in.examples.size()).sum());
            // count trigger: one summary per 1000 examples of a domain (about 1500 each here)
            assertEquals(2, summaries.size(), summaries.toString());
            assertTrue(summaries.stream().allMatch(s -> s.count == 1000 && s.fgls != null && s.fgls.n == 1000));

            for (String d : List.of("d1", "d2")) {
                DomainStatistics actual = state(h, d);
                DomainStatistics want = expected.get(d);
                assertEquals(want.count, actual.count);
                assertEquals(want.lossRaw, actual.lossRaw, 0.0);
                assertEquals(want.gradientRaw, actual.gradientRaw, 0.0);
                assertArrayEquals(want.fgls.gram, actual.fgls.gram, 0.0);
            }

            // time trigger: both domains have unsent examples
            h.setProcessingTime(1000);
            List<DomainStats> timed = h.extractOutputValues().stream().filter(in -> in.stats != null).map(in -> in.stats)
                    .skip(2).toList();
            assertEquals(2, timed.size());
            for (DomainStats s : timed) {
                assertEquals(expected.get(s.domain).count, s.count);
                assertEquals(expected.get(s.domain).lossEma(BETA), s.lossEma, 1e-12);
            }
            assertEquals(0, h.numProcessingTimeTimers());

            // end of input: a final summary for every domain
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertEquals(4, h.extractOutputValues().stream().filter(in -> in.stats != null).count(),
                    "the feedback input still holds event time back");
            h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
            List<DomainStats> all = h.extractOutputValues().stream().filter(in -> in.stats != null).map(in -> in.stats).toList();
            assertEquals(6, all.size());
        }
    }

    @Test
    void nonFiniteExamplesAreCountedAndLeftOutOfTheBatchPassedOn() throws Exception {
        try (var h = harness()) {
            double[] huge = new double[20];
            java.util.Arrays.fill(huge, 1e200);
            List<Example> good = examples(40, 3).stream().filter(e -> e.domain.equals("d1")).limit(3).toList();
            Example bad = new Example("d1", huge, 1.0);
            h.processElement(new ExampleBatch("d1", new Example[] {good.get(0), bad, good.get(1), good.get(2)}), 0);
            h.processElement(new ExampleBatch("d1", new Example[] {bad}), 0);

            List<TrainerInput> out = h.extractOutputValues();
            assertEquals(1, out.size(), "a batch with nothing finite left is not sent");
            assertArrayEquals(good.toArray(), out.get(0).examples.examples, "the finite examples, in order");
            DomainStatistics s = state(h, "d1");
            assertEquals(5, s.count);
            assertEquals(2, s.skippedNonFinite);
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
            assertEquals(b.lossRaw, a.lossRaw, 0.0);
            assertEquals(b.gradientRaw, a.gradientRaw, 0.0);
            assertArrayEquals(b.fgls.gram, a.fgls.gram, 0.0);
            assertEquals(d1.size(), batched.extractOutputValues().stream().filter(TrainerInput::isExamples)
                    .mapToInt(in -> in.examples.size()).sum());
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
            h.processBroadcastElement(snapshot(RUN, 4, 0.2), 0);
            checkpoint = h.snapshot(1, 1);
            before = state(h, "d1");
        }
        try (var restored = unopened()) {
            restored.initializeState(checkpoint);
            restored.open();
            DomainStatistics after = state(restored, "d1");
            assertEquals(before.count, after.count);
            assertEquals(before.lossRaw, after.lossRaw, 0.0);
            assertArrayEquals(before.fgls.xty, after.fgls.xty, 0.0);
            assertEquals(4, restored.getBroadcastState(DomainStatisticsFunction.SNAPSHOT_STATE).get(RUN).version);
            assertNull(state(restored, "nope"));
        }
    }
}
