package io.domainmix.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.synth.Experiment;
import org.junit.jupiter.api.Test;

/** The oracle weights after a change, against the hand computations of ALGORITHMS.md §3. */
class ChangeOracleTest {
    private static final double TOL = 1e-12;

    @Test
    void driftAfterTheJumpIsTheWorkedExampleOfLinearNoise() {
        ChangeOracle o = ChangeOracle.afterChange(Experiment.named("drift", 20), 0.05);
        // λ = (1, 1/20) / (½·1 + ½·1/20) = (1.904762, 0.095238)
        assertEquals(1 / 0.525, o.lossWeight(0), TOL);
        assertEquals(0.05 / 0.525, o.lossWeight(1), TOL);
        // p_VA ∝ π λ √(σ² C d): d1 ½·1.904762·√20, d2 ½·0.095238·√400; then 0.95 p_VA + 0.05 π
        double a = 0.5 / 0.525 * Math.sqrt(20);
        double b = 0.5 * 0.05 / 0.525 * 20;
        assertEquals(0.95 * b / (a + b) + 0.025, o.samplingProbability(1), TOL);
        assertEquals(0.199, o.samplingProbability(1), 5e-4, "ALGORITHMS.md: after mixing ≈ (0.801, 0.199)");
    }

    @Test
    void beforeTheJumpBothDomainsAreEqual() {
        ChangeOracle o = ChangeOracle.at(Experiment.named("drift", 20), 0.25, 0.05);
        assertEquals(1.0, o.lossWeight(1), TOL);
        assertEquals(0.5, o.samplingProbability(1), TOL);
    }

    @Test
    void arriveGivesTheNewCleanDomainTheCleanWeightAmongThree() {
        ChangeOracle o = ChangeOracle.afterChange(Experiment.named("arrive", 20), 0.05);
        double z = (1 + 0.05 + 1) / 3;
        assertEquals(1 / z, o.lossWeight(2), TOL);
        assertEquals(0.05 / z, o.lossWeight(1), TOL);
    }

    @Test
    void vanishLeavesTheSurvivorAllTheWeight() {
        ChangeOracle o = ChangeOracle.afterChange(Experiment.named("vanish", 20), 0.05);
        assertEquals(1.0, o.lossWeight(0), TOL);
        assertEquals(1.0, o.samplingProbability(0), TOL);
        assertTrue(Double.isNaN(o.lossWeight(1)), "a domain that no longer arrives has no target");
    }
}
