package io.domainmix.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.synth.Experiment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The adaptation lag on the drift experiments, seeds 1–5 of a 200,000-example stream: ERMA's
 * per-domain loss means follow a change, cumulative FGLS statistics never do.
 */
class DriftAdaptationTest {

    private static SimulationReport run(String experiment, String policies, int seeds) {
        return run(experiment, policies, seeds, 200_000, new SimulationSettings().statsWindowMax);
    }

    private static SimulationReport run(String experiment, String policies, int seeds, long examples, long statsWindow) {
        SimulationSettings s = new SimulationSettings();
        s.examples = examples;
        s.seeds = seeds;
        s.statsWindowMax = statsWindow;
        s.heldOutPerDomain = 0;
        return Simulator.run(Experiment.named(experiment, Experiment.DEFAULT_DIMENSION), s, PolicySpec.parseList(policies));
    }

    /**
     * ERMA's loss mean of a domain is the mean of its last completed window of examples (at
     * most {@code statsWindowMax}, 4,096), which after a change would still mix in clean examples
     * for one to two windows; the health check sees the loss rise (F = 4) and restarts the
     * domain's means, so λ follows within the 5,000 examples of d2 on every seed.
     */
    @Test
    void ermaFollowsTheNoiseJumpWithinFiveThousandExamplesAndCumulativeFglsDoesNot() {
        SimulationReport r = run("drift", "erma+va,fgls+va", 5);
        SimulationReport.Adaptation erma = r.result("erma+va").adaptation;
        assertEquals("d2", erma.domain);
        assertEquals(100_000, erma.changeAtExample);
        assertEquals(0.05 / 0.525, erma.lossWeight.target, 1e-12);
        assertTrue(erma.lossWeight.adapted, "erma λ lags per seed " + erma.lossWeight.perSeed);
        System.out.printf("drift: erma λ lags per seed %s, health events after %s%n", erma.lossWeight.perSeed,
                erma.healthEvent.perSeed);
        for (Long lag : erma.lossWeight.perSeed) {
            assertTrue(lag <= 5_000, "erma λ lags per seed " + erma.lossWeight.perSeed + ", health events after "
                    + erma.healthEvent.perSeed);
        }
        assertTrue(erma.sampling.adapted, "erma+va p lags per seed " + erma.sampling.perSeed);
        assertTrue(erma.lossWeight.lastQuarterError < 0.2, "erma's λ stays near λ* in the last quarter");

        SimulationReport.Adaptation fgls = r.result("fgls+va").adaptation;
        assertFalse(fgls.lossWeight.adapted, "cumulative FGLS mixes 100,000 clean examples of d2 into its estimate");
        assertNull(fgls.lossWeight.adaptationExamples);
        assertEquals(List.of(), fgls.lossWeight.perSeed.stream().filter(x -> x != null).toList());
        // its σ̂² of d2 is near the stream's mean (1 + 20)/2, not 20: λ₂ about twice λ*
        assertTrue(fgls.lossWeight.lastQuarterError > 0.5, "fgls λ error " + fgls.lossWeight.lastQuarterError);
        assertNotNull(r.oracle.lastQuarterGlsError);
    }

    /** Without the restart on a detected rise (F = ∞ turns the checks off) the lag is one to two windows of 4,096. */
    @Test
    void withoutHealthChecksErmaLagsByOneToTwoLossWindows() {
        SimulationSettings s = new SimulationSettings();
        s.examples = 200_000;
        s.seeds = 5;
        s.heldOutPerDomain = 0;
        s.healthFactor = Double.POSITIVE_INFINITY;
        SimulationReport r = Simulator.run(Experiment.named("drift", Experiment.DEFAULT_DIMENSION), s,
                PolicySpec.parseList("erma+va"));
        SimulationReport.WeightAdaptation lambda = r.result("erma+va").adaptation.lossWeight;
        assertTrue(lambda.adapted, "erma λ lags per seed " + lambda.perSeed);
        long slowest = lambda.perSeed.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(slowest > 5_000 && slowest <= 2 * 4096 + 1000, "erma λ lags per seed " + lambda.perSeed);
    }

    @Test
    void vanishAndArriveAreMeasuredOnTheirChangedDomain() {
        // d1's λ = 1/(π₁ + π₂/20) reaches 1.2 once d2's decayed share is below 0.175, about 1.5
        // share half-lives (20,000 arrivals) after the stop: a stream of 400,000 leaves it 60,000
        // arrivals before the last quarter (200,000 would leave 30,000, too few to show it stays)
        SimulationReport vanish = run("vanish", "erma+va,uniform+proportional", 1, 400_000, 4096);
        SimulationReport.Adaptation v = vanish.result("erma+va").adaptation;
        assertEquals("d1", v.domain);
        assertEquals(240_000, v.changeAtExample);
        assertEquals(1.0, v.lossWeight.target, 1e-12);
        assertTrue(v.lossWeight.adapted, "the survivor's λ follows the decaying share of d2: " + v.lossWeight.perSeed);
        assertTrue(v.lossWeight.perSeed.get(0) > 5_000, "the share half-life, not the loss means, sets this lag");
        assertFalse(vanish.result("uniform+proportional").adaptation.sampling.adapted,
                "proportional sampling is not VA's p* = 1 while d2's decayed share lingers: " + v.sampling.perSeed);

        SimulationReport arrive = run("arrive", "erma+va", 1);
        SimulationReport.Adaptation a = arrive.result("erma+va").adaptation;
        assertEquals("d3", a.domain);
        assertTrue(a.lossWeight.adapted, "the new domain's λ: " + a.lossWeight.perSeed);
    }

    /**
     * The trainer's domain health events, counted by the simulator: one after each change (d2's
     * loss rose on {@code drift}, d3 started on {@code arrive}, d2 stopped on {@code vanish}),
     * none before it, and on {@code drift} no later than λ adapted.
     */
    @Test
    void aHealthEventTellsOfEveryChangeAndNoneBeforeIt() {
        for (String experiment : Experiment.changeNames()) {
            SimulationReport r = run(experiment, "erma+va", 2);
            SimulationReport.Adaptation a = r.result("erma+va").adaptation;
            SimulationReport.HealthAfterChange h = a.healthEvent;
            assertTrue(h.fired, experiment + ": " + h.perSeed);
            assertEquals(0.0, h.falseAlarms, experiment);
            String expected = Map.of("drift", "d2 loss-up", "arrive", "d3 started", "vanish", "d2 stopped").get(experiment);
            assertEquals(List.of(expected, expected), h.firstEvents, experiment);
            if (experiment.equals("drift")) {
                for (int seed = 0; seed < 2; seed++) {
                    assertTrue(h.perSeed.get(seed) <= a.lossWeight.perSeed.get(seed), "event " + h.perSeed + ", λ " + a.lossWeight.perSeed);
                }
            }
        }
        assertEquals(0.0, run("linear-noise", "erma+va", 2).result("erma+va").healthEvents, "no change, no event");
    }

    @Test
    void aStationaryExperimentHasNoAdaptation() {
        SimulationReport r = run("linear-noise", "erma+va", 1);
        assertNull(r.result("erma+va").adaptation);
        assertNull(r.oracle.lastQuarterGlsError);
    }
}
