package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Policies with state of their own (GroupDRO's q, EXP3's weights, forgetting FGLS's decayed
 * statistics) keep it in the trainer's checkpointed state: a job restored from a checkpoint
 * ends with exactly the model and weights of a run without the failure.
 */
class StatefulRuleRestoreTest {
    private static final String RUN = "run-rules";

    @ParameterizedTest
    @ValueSource(strings = {"groupdro+exp3", "fgls-forgetting+temperature"})
    void aRestoredJobContinuesTheRulesStateExactly(String policy) throws Exception {
        Experiment ex = Experiment.named("linear-noise", 20);
        TrainerSettings settings = Simulator.trainerSettings(ex, new SimulationSettings(), PolicySpec.parse(policy), 3);
        List<TrainerInput> inputs = inputs(ex, settings, 6000);
        Trainer want = Trainer.create(settings);
        for (TrainerInput in : inputs) {
            if (in.examples != null) {
                for (Example e : in.examples.examples) {
                    want.onExample(e);
                }
            } else {
                want.onDomainStats(in.stats);
            }
        }
        want.finishInput(); // as the job does at the end of its input
        int cut = inputs.size() / 2;
        OperatorSubtaskState checkpoint;
        try (var h = harness(settings)) {
            h.open();
            for (TrainerInput in : inputs.subList(0, cut)) {
                h.processElement(in, 0);
            }
            checkpoint = h.snapshot(1, 1);
            for (TrainerInput in : inputs.subList(cut, cut + 500)) {
                h.processElement(in, 0); // lost with the failure
            }
        }
        try (var restored = harness(settings)) {
            restored.initializeState(checkpoint);
            restored.open();
            for (TrainerInput in : inputs.subList(cut, inputs.size())) {
                restored.processElement(in, 0);
            }
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            List<PublishedSnapshot> out = restored.extractOutputValues();
            ModelSnapshot last = out.get(out.size() - 1).snapshot;
            assertTrue(out.get(out.size() - 1).last);
            assertEquals(want.arrivals(), last.examplesSeen);
            assertArrayEquals(want.theta(), last.theta, 0.0, policy);
            assertArrayEquals(want.lossWeights(), last.lossWeight, 0.0, policy);
            assertArrayEquals(want.samplingProbabilities(), last.samplingProbability, 0.0, policy);
            assertTrue(want.state().domainStates[0].lossRuleState != null, policy + " keeps state of its own");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainerInput, PublishedSnapshot> harness(
            TrainerSettings settings) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrainerFunction(settings, RUN, 1000, 1000)),
                new DomainMixJob.ByRun<>(RUN), Types.STRING, 128, 1, 0);
    }

    /** One example an element, and each domain's statistics summary after every 250 of its examples. */
    private static List<TrainerInput> inputs(Experiment ex, TrainerSettings settings, int n) {
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(3), 3);
        Map<String, DomainStatistics> stats = new HashMap<>();
        List<TrainerInput> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Example e = arrivals.next();
            out.add(TrainerInput.of(new ExampleBatch(e.domain, new Example[] {e})));
            DomainStatistics s = stats.computeIfAbsent(e.domain,
                    d -> DomainStatistics.create(20, false, settings.fglsEnabled()));
            s.observe(e);
            if (s.count % 250 == 0) {
                out.add(TrainerInput.of(s.summary(e.domain)));
            }
        }
        return out;
    }
}
