package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.train.TrainerState;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TrainerFunctionTest {
    private static final String RUN = "run-7";

    private static TrainerSettings settings() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(20, false),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        s.seed = 5;
        return s;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainerInput, PublishedSnapshot> unopened() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrainerFunction(settings(), RUN, 1000, 500)),
                new DomainMixJob.ByRun<>(RUN), Types.STRING, 128, 1, 0);
    }

    /**
     * Examples of linear-noise in batches of consecutive examples of one domain (up to 7), with a
     * statistics summary of each domain after every 250 of its examples.
     */
    private static List<TrainerInput> inputs(int n) {
        Experiment ex = Experiment.named("linear-noise", 20);
        GroundTruth truth = ex.groundTruth(3);
        Experiment.Arrivals arrivals = ex.arrivals(truth, 3);
        Map<String, DomainStatistics> stats = new HashMap<>();
        List<TrainerInput> out = new ArrayList<>();
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Example e = arrivals.next();
            if (!batch.isEmpty() && (batch.size() == 7 || !batch.get(0).domain.equals(e.domain))) {
                out.add(TrainerInput.of(new ExampleBatch(batch.get(0).domain, batch.toArray(new Example[0]))));
                batch.clear();
            }
            batch.add(e);
            DomainStatistics s = stats.computeIfAbsent(e.domain, d -> DomainStatistics.create(20, false, false));
            s.observe(e);
            if (s.count % 250 == 0) {
                out.add(TrainerInput.of(new ExampleBatch(e.domain, batch.toArray(new Example[0]))));
                batch.clear();
                out.add(TrainerInput.of(s.summary(e.domain)));
            }
        }
        if (!batch.isEmpty()) {
            out.add(TrainerInput.of(new ExampleBatch(batch.get(0).domain, batch.toArray(new Example[0]))));
        }
        return out;
    }

    private static Trainer reference(List<TrainerInput> inputs) {
        Trainer t = Trainer.create(settings());
        for (TrainerInput in : inputs) {
            if (in.examples != null) {
                for (Example e : in.examples.examples) {
                    t.onExample(e);
                }
            } else {
                t.onDomainStats(in.stats);
            }
        }
        return t;
    }

    private static long checkpointId;

    /** The trainer's state as a checkpoint writes it: the value, with each domain's ring from the map state. */
    private static TrainerState state(KeyedOneInputStreamOperatorTestHarness<String, TrainerInput, PublishedSnapshot> h)
            throws Exception {
        h.snapshot(++checkpointId, checkpointId);
        AbstractStreamOperator<?> op = h.getOperator();
        op.setCurrentKey(RUN);
        TrainerState st = op.getKeyedStateStore().getState(TrainerFunction.TRAINER_STATE).value();
        var rings = op.getKeyedStateStore().getMapState(TrainerFunction.BUFFER_STATE);
        for (int k = 0; k < st.domains.length; k++) {
            st.domainStates[k].ring = rings.get(st.domains[k]);
        }
        return st;
    }

    @Test
    void trainsLikeTheCoreTrainerAndPublishesVersionedSnapshotsAndMetrics() throws Exception {
        List<TrainerInput> inputs = inputs(2600);
        Trainer want = reference(inputs);
        try (var h = unopened()) {
            h.open();
            for (TrainerInput in : inputs) {
                h.processElement(in, 0);
            }
            TrainerState st = state(h);
            assertEquals(2600, st.arrivals);
            assertEquals(want.step(), st.step);
            assertArrayEquals(want.theta(), st.theta, 0.0);
            assertArrayEquals(want.lossWeights(), st.lossWeight, 0.0);
            assertEquals(want.state().rngState, st.rngState);

            List<PublishedSnapshot> snaps = h.extractOutputValues();
            assertEquals(List.of(1L, 2L), snaps.stream().map(p -> p.snapshot.version).toList());
            assertEquals(List.of(1000L, 2000L), snaps.stream().map(p -> p.snapshot.step).toList());
            assertFalse(snaps.get(0).last);
            assertEquals(RUN, snaps.get(1).snapshot.runId);
            assertArrayEquals(new String[] {"d1", "d2"}, snaps.get(1).snapshot.domains);

            List<MetricsRecord> metrics = h.getSideOutput(TrainerFunction.METRICS).stream().map(StreamRecord::getValue).toList();
            assertEquals(List.of(500L, 1000L, 1500L, 2000L, 2500L), metrics.stream().map(m -> m.step).toList());
            MetricsRecord m = metrics.get(4);
            assertTrue(m.noiseMeasured > 0 && Double.isFinite(m.noiseMeasured));
            assertTrue(m.noiseVarianceAware <= m.noiseProportional);
            assertEquals(2500, m.arrivals[0] + m.arrivals[1]);
            assertTrue(m.statsCount[0] >= 1000 && m.statsCount[1] >= 1000);
            assertArrayEquals(want.lossEstimates(), m.loss, 0.0, "the metrics carry the trainer's own L̄_k");
            // the arrival mix: shares of the last 500 arrivals, and of all 2,500 so far
            assertEquals(1.0, m.recentShare[0] + m.recentShare[1], 1e-12);
            assertEquals(m.arrivals[0] / 2500.0, m.longRunShare[0], 1e-12);
            // staleness: scored under a θ̄ copy refreshed every S = 100 steps, one step per arrival,
            // so the last 500 arrivals' lags are 0..99 five times over
            assertEquals(49.0, m.stalenessP50, 0.0);
            assertEquals(94.0, m.stalenessP95, 0.0);
            assertEquals(99, m.stalenessMax);

            // end of a bounded input: a final snapshot, marked, and final metrics
            assertEquals(1, h.numEventTimeTimers());
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            PublishedSnapshot last = h.extractOutputValues().get(2);
            assertTrue(last.last);
            assertEquals(3, last.snapshot.version);
            assertEquals(want.step(), last.snapshot.step);
            assertArrayEquals(want.averagedTheta(), last.snapshot.averagedTheta, 0.0);
            List<MetricsRecord> after = h.getSideOutput(TrainerFunction.METRICS).stream().map(StreamRecord::getValue).toList();
            assertTrue(after.get(after.size() - 1).last);
        }
    }

    @Test
    void aRestoredTrainerContinuesExactlyIncludingItsRandomDraws() throws Exception {
        List<TrainerInput> inputs = inputs(3000);
        Trainer want = reference(inputs);
        int cut = inputs.size() * 17 / 30; // about 1,700 examples in
        int lost = inputs.size() / 10;
        OperatorSubtaskState checkpoint;
        try (var h = unopened()) {
            h.open();
            for (TrainerInput in : inputs.subList(0, cut)) {
                h.processElement(in, 0);
            }
            checkpoint = h.snapshot(1, 1);
            // work after the checkpoint is lost with the failure
            for (TrainerInput in : inputs.subList(cut, cut + lost)) {
                h.processElement(in, 0);
            }
        }
        try (var restored = unopened()) {
            restored.initializeState(checkpoint);
            restored.open();
            for (TrainerInput in : inputs.subList(cut, inputs.size())) {
                restored.processElement(in, 0);
            }
            TrainerState st = state(restored);
            assertEquals(3000, st.arrivals);
            assertArrayEquals(want.theta(), st.theta, 0.0);
            assertArrayEquals(want.averagedTheta(), new Trainer(settings(), st).averagedTheta(), 0.0);
            // versions continue from the checkpoint: the snapshots at steps 2000 and 3000 are versions 2 and 3
            assertEquals(List.of(2L, 3L), restored.extractOutputValues().stream().map(p -> p.snapshot.version).toList());
        }
    }

    /** Issue 16: a checkpoint writes the rings of the domains that had examples since the last one, and only those. */
    @Test
    void aCheckpointWritesOnlyTheRingsThatChanged() throws Exception {
        List<TrainerInput> inputs = inputs(2000);
        TrainerFunction f = new TrainerFunction(settings(), RUN, 1000, 500);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f),
                new DomainMixJob.ByRun<>(RUN), Types.STRING, 128, 1, 0)) {
            h.open();
            for (TrainerInput in : inputs) {
                h.processElement(in, 0);
            }
            h.snapshot(1, 1);
            assertEquals(2, f.buffersWrittenAtLastCheckpoint());
            TrainerInput onlyD1 = inputs.stream().filter(in -> in.examples != null && in.examples.domain.equals("d1"))
                    .findFirst().orElseThrow();
            h.processElement(onlyD1, 0);
            h.snapshot(2, 2);
            assertEquals(1, f.buffersWrittenAtLastCheckpoint(), "d2 did not change");
            h.snapshot(3, 3);
            assertEquals(0, f.buffersWrittenAtLastCheckpoint());
            TrainerState st = state(h);
            assertEquals(2000 + onlyD1.examples.size(), st.arrivals);
            Trainer want = reference(inputs);
            for (Example e : onlyD1.examples.examples) {
                want.onExample(e);
            }
            int d1 = java.util.List.of(st.domains).indexOf("d1");
            assertArrayEquals(want.state().domainStates[d1].ring.x, st.domainStates[d1].ring.x, 0.0,
                    "the checkpointed ring is the live one");
        }
    }

    @Test
    void aSnapshotIntervalHoldsADueSnapshotBackUntilItHasPassed() throws Exception {
        List<TrainerInput> inputs = inputs(2600);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrainerFunction(settings(), RUN, 1000, 5_000, 500)),
                new DomainMixJob.ByRun<>(RUN), Types.STRING, 128, 1, 0)) {
            h.setProcessingTime(10_000);
            h.open();
            int next = 0;
            long seen = 0;
            while (seen < 2200) {
                TrainerInput in = inputs.get(next++);
                h.processElement(in, 0);
                seen += in.examples == null ? 0 : in.examples.size();
            }
            // step 1000 went out; step 2000 is due but within 5 s of the last snapshot
            assertEquals(List.of(1000L), h.extractOutputValues().stream().map(p -> p.snapshot.step).toList());
            assertEquals(4, h.getSideOutput(TrainerFunction.METRICS).size(), "metrics keep their own cadence");

            h.setProcessingTime(15_000);
            h.processElement(inputs.get(next), 0);
            List<PublishedSnapshot> snaps = h.extractOutputValues();
            assertEquals(2, snaps.size());
            assertEquals(2L, snaps.get(1).snapshot.version);
            long step = snaps.get(1).snapshot.step;
            assertTrue(step >= seen && step <= seen + 7, "published with the first input after the interval: " + step);
        }
    }
}
