package io.domainmix.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.Simulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The uncentred-label experiment: its labels, and an oracle that recovers the offset as the intercept. */
class OffsetNoiseExperimentTest {

    @Test
    void labelsCarryTheOffsetAndTheDomainNoise() {
        Experiment e = Experiment.named("offset-noise", Experiment.defaultDimension("offset-noise"));
        assertEquals(2, e.dimension());
        assertTrue(e.intercept());
        assertEquals(3, e.modelSpec().create().parameterCount());
        GroundTruth truth = e.groundTruth(11);
        double[] noise = {0.2, 1, 7, 8};
        List<SyntheticDomain> gens = e.generators(truth, 11);
        int n = 20_000;
        for (int k = 0; k < 4; k++) {
            double sum = 0;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                Example ex = gens.get(k).next();
                double r = ex.y - (truth.theta[0] * ex.x[0] + truth.theta[1] * ex.x[1]) - 27.0;
                sum += ex.y;
                ss += r * r;
            }
            // label mean 27 ± 4 standard errors; residual variance within 4 standard errors (sd of s² ≈ σ²√(2/n))
            assertEquals(27.0, sum / n, 4 * Math.sqrt((noise[k] + 1) / n), "label mean of d" + (k + 1));
            assertEquals(noise[k], ss / n, 4 * noise[k] * Math.sqrt(2.0 / n), "residual variance of d" + (k + 1));
        }
    }

    @Test
    void closedFormFitRecoversTheOffsetAsTheIntercept() {
        Experiment e = Experiment.named("offset-noise", 2);
        GroundTruth truth = e.groundTruth(3);
        double[] trueParameters = e.trueParameters(truth);
        assertEquals(3, trueParameters.length);
        assertEquals(27.0, trueParameters[2], 0.0);
        Experiment.Arrivals arrivals = e.arrivals(truth, 3);
        List<FglsStatistics> stats = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            stats.add(new FglsStatistics(2, true));
        }
        for (int i = 0; i < 16_000; i++) {
            int k = arrivals.nextDomain();
            Example ex = arrivals.next(k);
            stats.get(k).add(ex.x, ex.y, 1.0);
        }
        double[] ones = new double[4];
        Arrays.fill(ones, 1.0);
        double[] ols = FglsEstimator.weightedSolve(stats, ones);
        // OLS standard error per coefficient ≈ sqrt(mean σ² / n) = sqrt(4.05 / 16,000) ≈ 0.016
        assertEquals(0.0, Simulator.distance(ols, trueParameters), 0.1, "OLS " + Arrays.toString(ols));
        double[] sigma2 = FglsEstimator.estimateNoise(stats).noiseVariance;
        double[] noise = {0.2, 1, 7, 8};
        for (int k = 0; k < 4; k++) {
            assertEquals(noise[k], sigma2[k], 0.15 * noise[k], "σ̂² of d" + (k + 1));
        }
    }

    @Test
    void zeroOffsetKeepsEveryEarlierStream() {
        DomainSpec plain = DomainSpec.regression("d1", 1, 1);
        DomainSpec zero = DomainSpec.regression("d1", 1, 1, 0.0);
        GroundTruth truth = GroundTruth.draw(ModelType.LINEAR, 5, 0, 4);
        SyntheticDomain a = new SyntheticDomain(plain, truth, false, 4);
        SyntheticDomain b = new SyntheticDomain(zero, truth, false, 4);
        for (int i = 0; i < 100; i++) {
            Example x = a.next();
            Example y = b.next();
            assertArrayEquals(x.x, y.x, 0.0);
            assertEquals(x.y, y.y, 0.0);
        }
        assertNull(new Experiment("mixed", ModelType.LINEAR, 2, List.of(DomainSpec.regression("a", 1, 1, 1.0),
                DomainSpec.regression("b", 1, 1, 2.0)), true).trueParameters(truth));
        assertThrows(IllegalArgumentException.class, () -> new DomainSpec("q", 1, 0, 0.1, 1, 5.0));
    }
}
