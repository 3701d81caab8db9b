package io.domainmix.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.synth.Experiment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance checks of the foundation, at the sizes and seeds the issue names. Each claim is
 * a ratio of means over seeds on identical data per seed, with the tolerance the issue states;
 * the theory values are in ALGORITHMS.md §3 and §6.
 */
class SimulatorAcceptanceTest {

    @Test
    void linearNoiseLossWeightsReachGls() {
        SimulationSettings s = new SimulationSettings();
        s.examples = 200_000;
        s.seeds = 5;
        SimulationReport r = Simulator.run(Experiment.named("linear-noise", 20), s, PolicySpec.parseList(
                "uniform+proportional,erma+proportional,fgls+proportional"));
        double gls = r.oracle.glsError;
        assertTrue(r.result("fgls+closed-form").error <= 1.05 * gls,
                "closed-form FGLS " + r.result("fgls+closed-form").error + " vs GLS " + gls);
        double uniform = r.result("uniform+proportional").error;
        double erma = r.result("erma+proportional").error;
        assertTrue(erma <= 0.6 * uniform, "erma " + erma + " vs uniform " + uniform + " (theory ratio 0.43)");
        double fgls = r.result("fgls+proportional").error;
        System.out.printf("linear-noise, 5 seeds: streaming error / uniform's: erma %.3f, fgls %.3f%n", erma / uniform,
                fgls / uniform);
        assertTrue(fgls <= 0.6 * uniform, "streaming fgls " + fgls + " vs uniform " + uniform + " (theory ratio 0.43)");
        for (String policy : List.of("erma+proportional", "fgls+proportional")) {
            List<Double> lambda = r.result(policy).finalLossWeights;
            double ratio = lambda.get(0) / lambda.get(1);
            assertEquals(20.0, ratio, 0.15 * 20.0, policy + " λ1/λ2");
        }
    }

    /**
     * Issue 12: fresh-first draws and the Polyak–Ruppert average since the burn-in bring the
     * streaming model within 1.25× (200k) and 1.35× (100k) of the offline oracle that uses the
     * same examples at once: GLS for the noise-aware loss weights, OLS for uniform ones.
     */
    @Test
    void linearNoiseStreamingSgdIsNearlyAsEfficientAsTheOfflineOracle() {
        for (long examples : new long[] {200_000, 100_000}) {
            double bound = examples == 200_000 ? 1.25 : 1.35;
            SimulationSettings s = new SimulationSettings();
            s.examples = examples;
            s.seeds = 5;
            SimulationReport r = Simulator.run(Experiment.named("linear-noise", 20), s,
                    PolicySpec.parseList("erma+va,fgls+va,uniform+proportional"));
            double erma = r.result("erma+va").error;
            double fgls = r.result("fgls+va").error;
            double uniform = r.result("uniform+proportional").error;
            String at = examples + " examples: ";
            assertTrue(erma <= bound * r.oracle.glsError, at + "erma+va " + erma + " vs GLS " + r.oracle.glsError);
            assertTrue(fgls <= bound * r.oracle.glsError, at + "fgls+va " + fgls + " vs GLS " + r.oracle.glsError);
            assertTrue(uniform <= bound * r.oracle.olsError, at + "uniform " + uniform + " vs OLS " + r.oracle.olsError);
            if (examples == 200_000) {
                assertTrue(erma <= 1.05 * fgls, "erma+va " + erma + " vs fgls+va " + fgls);
            }
            // at r = 1 every slot of a proportional policy finds a fresh example: each is used about once
            SimulationReport.PolicyResult prop = r.result("uniform+proportional");
            assertTrue(prop.fractionUsed > 0.99, "used " + prop.fractionUsed);
            assertEquals(1.0, prop.meanUses, 0.01);
        }
    }

    @Test
    void linearScaleVarianceAwareSamplingCutsNoiseAndError() {
        SimulationSettings s = new SimulationSettings();
        s.examples = 400_000;
        s.seeds = 10;
        s.stepsPerArrival = 0.25;
        SimulationReport r = Simulator.run(Experiment.named("linear-scale", 20), s,
                PolicySpec.parseList("uniform+proportional,uniform+va"));
        SimulationReport.PolicyResult prop = r.result("uniform+proportional");
        SimulationReport.PolicyResult va = r.result("uniform+va");
        assertTrue(va.error <= 0.8 * prop.error, "va " + va.error + " vs proportional " + prop.error + " (theory 0.77)");
        assertTrue(va.gradientNoise <= 0.7 * prop.gradientNoise,
                "noise va " + va.gradientNoise + " vs proportional " + prop.gradientNoise + " (theory 0.60)");
        assertEquals(va.predictedGradientNoise, va.gradientNoise, 0.05 * va.predictedGradientNoise,
                "measured gradient noise against N(p)");
        assertEquals(prop.predictedGradientNoise, prop.gradientNoise, 0.15 * prop.predictedGradientNoise,
                "measured gradient noise against N(π)");
        assertEquals(0.889, va.finalSamplingProbs.get(0), 0.03, "p1 against the ε-mixed VA prediction");
    }

    @Test
    void sameSeedGivesIdenticalResultsWhateverTheThreads() {
        SimulationSettings one = new SimulationSettings();
        one.examples = 20_000;
        one.seeds = 2;
        one.threads = 1;
        SimulationSettings two = new SimulationSettings();
        two.examples = 20_000;
        two.seeds = 2;
        two.threads = 2;
        List<PolicySpec> p = PolicySpec.parseList("erma+va,conflated-va");
        Experiment e = Experiment.named("linear-noise", 10);
        SimulationReport a = Simulator.run(e, one, p);
        SimulationReport b = Simulator.run(e, two, p);
        for (int i = 0; i < a.results.size(); i++) {
            assertEquals(a.results.get(i).error, b.results.get(i).error);
            assertEquals(a.results.get(i).gradientNoise, b.results.get(i).gradientNoise);
            assertEquals(a.results.get(i).finalSamplingProbs, b.results.get(i).finalSamplingProbs);
        }
    }

    @Test
    void logisticAndMlpLearnAndErmaDownWeightsTheNoisyDomain() {
        SimulationSettings s = new SimulationSettings();
        s.examples = 50_000;
        s.seeds = 2;
        for (String name : List.of("logistic-scale", "logistic-mixed")) {
            SimulationReport r = Simulator.run(Experiment.named(name, 20), s, PolicySpec.parseList("uniform+proportional,erma+va"));
            for (SimulationReport.PolicyResult p : r.results) {
                // the initial model θ = 0 has cosine distance 1 to θ*
                assertTrue(p.cosineDistance < 0.05, name + " " + p.policy + " cosine distance " + p.cosineDistance);
            }
            List<Double> lambda = r.result("erma+va").finalLossWeights;
            assertTrue(lambda.get(0) > lambda.get(1), name + ": the domain with fewer flipped labels weighs more " + lambda);
        }
        SimulationReport mlp = Simulator.run(Experiment.named("mlp", 10), s, PolicySpec.parseList("uniform+proportional,erma+va"));
        SimulationSettings none = new SimulationSettings();
        none.examples = 1;
        none.seeds = 2;
        double initial = Simulator.run(Experiment.named("mlp", 10), none, PolicySpec.parseList("uniform+proportional"))
                .result("uniform+proportional").heldOutLoss;
        for (SimulationReport.PolicyResult p : mlp.results) {
            assertTrue(p.heldOutLoss < 0.5 * initial, "mlp " + p.policy + " held-out " + p.heldOutLoss + " vs initial " + initial);
        }
        List<Double> lambda = mlp.result("erma+va").finalLossWeights;
        assertTrue(lambda.get(0) > 3 * lambda.get(1), "mlp: σ² = (0.1, 2) gives the clean domain more loss weight " + lambda);
    }

    @Test
    void fglsOnANonLinearModelIsRefusedWithAClearMessage() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(Experiment.named("logistic-scale", 5), new SimulationSettings(), PolicySpec.parseList("fgls+va")));
        assertTrue(e.getMessage().contains("fgls"), e.getMessage());
    }

    @Test
    void policyNamesRoundTrip() {
        for (String p : List.of("uniform+proportional", "erma+va", "fgls+uniform", "conflated-va", "erma+va:conflated")) {
            assertEquals(p, PolicySpec.parse(p).name());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PolicySpec.parse("erma+fast"));
        assertTrue(e.getMessage().contains("proportional, uniform, static, va"), e.getMessage());
    }
}
