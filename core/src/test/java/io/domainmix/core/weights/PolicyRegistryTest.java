package io.domainmix.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.Experiment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry finds every policy by name, the built-in ones and one plugged in from the test sources. */
class PolicyRegistryTest {

    @Test
    void theBuiltInPoliciesComeFirstInTheirDocumentedOrder() {
        assertTrue(PolicyRegistry.lossNames(",").startsWith("uniform,static,fgls,erma"), PolicyRegistry.lossNames(","));
        assertTrue(PolicyRegistry.samplingNames(",").startsWith("proportional,uniform,static,va"),
                PolicyRegistry.samplingNames(","));
        assertSame(LossWeightPolicy.FGLS, LossWeightPolicy.parse(" FGLS "));
        assertSame(SamplingPolicy.VA, SamplingPolicy.parse("va"));
        assertTrue(LossWeightPolicy.FGLS.rule().requirements().contains(RuleRequirement.LINEAR_MODEL));
    }

    @Test
    void anUnknownNameIsRejectedWithTheRegisteredOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplingPolicy.parse("often"));
        assertTrue(e.getMessage().startsWith("unknown sampling policy 'often'; allowed: proportional, uniform, static, va"),
                e.getMessage());
        assertTrue(e.getMessage().contains("alphabetical"), "a plugged-in policy is allowed too: " + e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> PolicySpec.parse("uniform+often"));
        assertTrue(p.getMessage().contains("allowed: proportional"), p.getMessage());
    }

    @Test
    void aPolicyFromTheTestSourcesIsFoundByName() {
        SamplingPolicy p = SamplingPolicy.parse("alphabetical");
        assertTrue(p.rule() instanceof AlphabeticalSampling);
        assertEquals("uniform+alphabetical", PolicySpec.parse("uniform+alphabetical").name());
        assertEquals(PolicySpec.parse("uniform+alphabetical"), PolicySpec.parse("UNIFORM+alphabetical"));
        DomainWeights w = WeightCalculator.compute(new WeightSettings(LossWeightPolicy.UNIFORM, p, ImportanceMode.CORRECTED),
                new String[] {"b", "a", "c"}, new double[] {0.2, 0.3, 0.5}, new long[] {1, 1, 1},
                new double[3], new double[3], new double[3]);
        // ranks a = 0, b = 1, c = 2: raw (3 − 1, 3 − 0, 3 − 2) = (2, 3, 1), normalised by 6
        assertEquals(2.0 / 6, w.samplingProbability[0], 1e-15);
        assertEquals(3.0 / 6, w.samplingProbability[1], 1e-15);
        assertEquals(1.0 / 6, w.samplingProbability[2], 1e-15);
        assertEquals(0.2 * 1.0 / (2.0 / 6), w.importanceWeight[0], 1e-12, "w = πλ/p: the importance correction applies");
    }

    /** The plugged-in policy runs the whole simulation: its p is in force, and the corrected run learns the model. */
    @Test
    void aPolicyFromTheTestSourcesRunsInTheSimulator() {
        Experiment ex = Experiment.named("linear-scale", 20);
        SimulationSettings s = new SimulationSettings();
        s.examples = 40_000;
        Simulator.Run plugged = Simulator.runOne(ex, s, PolicySpec.parse("uniform+alphabetical"), 1);
        Simulator.Run proportional = Simulator.runOne(ex, s, PolicySpec.parse("uniform+proportional"), 1);
        assertEquals(2.0 / 3, plugged.samplingProbabilities[0], 1e-12, "d1 ranks first");
        assertEquals(1.0 / 3, plugged.samplingProbabilities[1], 1e-12);
        assertEquals(List.of(1.0, 1.0), List.of(plugged.lossWeights[0], plugged.lossWeights[1]));
        System.out.printf("linear-scale 40k seed 1: error uniform+alphabetical %.5f, uniform+proportional %.5f%n",
                plugged.error, proportional.error);
        // the same objective (importance-corrected), sampled otherwise: the same error within a factor 2
        assertTrue(plugged.error < 2 * proportional.error && proportional.error < 2 * plugged.error,
                plugged.error + " vs " + proportional.error);
    }
}
