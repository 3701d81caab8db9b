package io.domainmix.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.rng.SplitMix64;
import org.junit.jupiter.api.Test;

/** The worked examples of ALGORITHMS.md §3 and the invariants of §2. */
class WeightCalculatorTest {
    private static final String[] TWO = {"d1", "d2"};
    private static final double[] EQUAL = {0.5, 0.5};
    private static final long[] MANY = {100_000, 100_000};
    private static final double[] UNKNOWN = {Double.NaN, Double.NaN};

    /** M_k = σ_k² C_k d at the optimum of a linear model with x ~ N(0, C_k I). */
    private static double[] secondMoments(double[] c, double[] sigma2, int d) {
        return new double[] {sigma2[0] * c[0] * d, sigma2[1] * c[1] * d};
    }

    private static WeightSettings settings(LossWeightPolicy l, SamplingPolicy s) {
        return new WeightSettings(l, s, ImportanceMode.CORRECTED);
    }

    @Test
    void varianceAwareOnScaleDifferences() {
        double[] m = secondMoments(new double[] {100, 1}, new double[] {1, 1}, 20);
        WeightSettings pure = settings(LossWeightPolicy.UNIFORM, SamplingPolicy.VA);
        pure.epsilon = 0;
        DomainWeights w = WeightCalculator.compute(pure, TWO, EQUAL, MANY, UNKNOWN, UNKNOWN, m);
        assertEquals(0.909, w.samplingProbability[0], 0.001);
        assertEquals(0.091, w.samplingProbability[1], 0.001);

        DomainWeights mixed = WeightCalculator.compute(settings(LossWeightPolicy.UNIFORM, SamplingPolicy.VA), TWO, EQUAL,
                MANY, UNKNOWN, UNKNOWN, m);
        assertEquals(0.889, mixed.samplingProbability[0], 0.001);
        assertEquals(0.111, mixed.samplingProbability[1], 0.001);
        double ratio = GradientNoise.predicted(ImportanceMode.CORRECTED, EQUAL, mixed.lossWeight, mixed.samplingProbability, m)
                / GradientNoise.proportional(EQUAL, mixed.lossWeight, m);
        assertEquals(0.60, ratio, 0.01);
    }

    @Test
    void varianceAwareWithGlsLossWeights() {
        double[] sigma2 = {1, 20};
        double[] m = secondMoments(new double[] {1, 1}, sigma2, 20);
        WeightSettings s = settings(LossWeightPolicy.FGLS, SamplingPolicy.VA);
        DomainWeights w = WeightCalculator.compute(s, TWO, EQUAL, MANY, UNKNOWN, sigma2, m);
        assertEquals(1.905, w.lossWeight[0], 0.001);
        assertEquals(0.095, w.lossWeight[1], 0.001);
        assertEquals(0.801, w.samplingProbability[0], 0.001);
        assertEquals(0.199, w.samplingProbability[1], 0.001);
        s.epsilon = 0;
        DomainWeights pure = WeightCalculator.compute(s, TWO, EQUAL, MANY, UNKNOWN, sigma2, m);
        assertEquals(0.817, pure.samplingProbability[0], 0.001);
        double ratio = GradientNoise.predicted(ImportanceMode.CORRECTED, EQUAL, w.lossWeight, w.samplingProbability, m)
                / GradientNoise.proportional(EQUAL, w.lossWeight, m);
        assertEquals(0.72, ratio, 0.01);
    }

    @Test
    void lossWeightsAreNormalizedAndClipped() {
        String[] three = {"a", "b", "c"};
        double[] share = {0.2, 0.3, 0.5};
        long[] n = {1000, 1000, 1000};
        WeightSettings s = settings(LossWeightPolicy.ERMA, SamplingPolicy.PROPORTIONAL);
        s.kappa = 50;
        DomainWeights w = WeightCalculator.compute(s, three, share, n, new double[] {1.0, 2.0, 1000.0}, UNKNOWN3, UNKNOWN3);
        double z = 0;
        double max = 0;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            z += share[i] * w.lossWeight[i];
            max = Math.max(max, w.lossWeight[i]);
            min = Math.min(min, w.lossWeight[i]);
        }
        assertEquals(1.0, z, 1e-12, "Σ π λ = 1");
        assertEquals(50, max / min, 1e-9, "clipped to κ");
        assertEquals(2.0, w.lossWeight[0] / w.lossWeight[1], 1e-12, "unclipped ratios are inverse loss ratios");
        assertEquals(w.lossWeight[0] / 50, w.lossWeight[2], 1e-12, "the smallest is raised to max/κ");
    }

    private static final double[] UNKNOWN3 = {Double.NaN, Double.NaN, Double.NaN};

    @Test
    void newDomainGetsTheMeanWeightUntilItHasEnoughExamples() {
        String[] three = {"a", "b", "new"};
        double[] share = {0.45, 0.45, 0.1};
        long[] n = {5000, 5000, 10};
        WeightSettings s = settings(LossWeightPolicy.ERMA, SamplingPolicy.PROPORTIONAL);
        DomainWeights w = WeightCalculator.compute(s, three, share, n, new double[] {1.0, 4.0, 1e-9}, UNKNOWN3, UNKNOWN3);
        double rawA = 1.0;
        double rawB = 0.25;
        assertEquals((rawA + rawB) / 2 / rawA, w.lossWeight[2] / w.lossWeight[0], 1e-12);
    }

    @Test
    void conflatedWeightIsTheLossWeightAndCorrectedIsShareOverProbability() {
        assertEquals(2.0, WeightCalculator.importanceWeight(ImportanceMode.CONFLATED, 0.5, 2.0, 0.9), 0);
        assertEquals(0.5 * 2.0 / 0.8, WeightCalculator.importanceWeight(ImportanceMode.CORRECTED, 0.5, 2.0, 0.8), 1e-15);
    }

    @Test
    void varianceAwareNoiseNeverExceedsProportional() {
        SplitMix64 rng = new SplitMix64(21);
        for (int trial = 0; trial < 1000; trial++) {
            int k = 2 + rng.nextInt(6);
            double[] share = new double[k];
            double[] lambda = new double[k];
            double[] m = new double[k];
            double z = 0;
            for (int i = 0; i < k; i++) {
                share[i] = rng.nextDouble() + 1e-3;
                z += share[i];
                lambda[i] = Math.exp(3 * rng.nextGaussian());
                m[i] = Math.exp(4 * rng.nextGaussian());
            }
            for (int i = 0; i < k; i++) {
                share[i] /= z;
            }
            double nVa = GradientNoise.varianceAware(share, lambda, m);
            double nProp = GradientNoise.proportional(share, lambda, m);
            assertTrue(nVa <= nProp * (1 + 1e-12), "N_va " + nVa + " > N_prop " + nProp);
        }
    }

    @Test
    void staticPoliciesUseTheGivenWeights() {
        WeightSettings s = settings(LossWeightPolicy.STATIC, SamplingPolicy.STATIC);
        s.set(io.domainmix.core.weights.rules.StaticLossWeights.WEIGHTS, java.util.Map.of("d1", 3.0, "d2", 1.0));
        s.set(io.domainmix.core.weights.rules.StaticSampling.WEIGHTS, java.util.Map.of("d1", 1.0, "d2", 3.0));
        DomainWeights w = WeightCalculator.compute(s, TWO, EQUAL, MANY, UNKNOWN, UNKNOWN, UNKNOWN);
        assertEquals(3.0, w.lossWeight[0] / w.lossWeight[1], 1e-12);
        assertEquals(0.25, w.samplingProbability[0], 1e-12);
        assertEquals(0.5 * w.lossWeight[1] / 0.75, w.importanceWeight[1], 1e-12);
    }
}
