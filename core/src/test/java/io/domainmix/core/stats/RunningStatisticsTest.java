package io.domainmix.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.domainmix.core.rng.SplitMix64;
import org.junit.jupiter.api.Test;

class RunningStatisticsTest {
    @Test
    void biasCorrectedEmaOfAConstantIsThatConstantFromTheFirstValue() {
        double raw = 0;
        for (int n = 1; n <= 50; n++) {
            raw = BiasCorrectedEma.update(raw, 0.001, 3.5);
            assertEquals(3.5, BiasCorrectedEma.read(raw, 0.001, n), 1e-9);
        }
    }

    @Test
    void biasCorrectedEmaEqualsExplicitWeightedAverage() {
        double beta = 0.1;
        double[] v = {1, 5, 2, 8, 3};
        double raw = 0;
        for (double x : v) {
            raw = BiasCorrectedEma.update(raw, beta, x);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < v.length; i++) {
            double w = Math.pow(1 - beta, v.length - 1 - i);
            num += w * v[i];
            den += w;
        }
        assertEquals(num / den, BiasCorrectedEma.read(raw, beta, v.length), 1e-12);
    }

    @Test
    void welfordMatchesTwoPass() {
        SplitMix64 rng = new SplitMix64(3);
        double[] v = new double[1000];
        Welford w = new Welford();
        for (int i = 0; i < v.length; i++) {
            v[i] = 1e6 + rng.nextGaussian(); // large offset: naive sum of squares would cancel
            w.add(v[i]);
        }
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        assertEquals(mean, w.mean(), 1e-9);
        assertEquals(ss / (v.length - 1), w.variance(), 1e-9);
    }

    @Test
    void decayedCountsHalveAfterOneHalfLife() {
        double gamma = DecayedCounts.decayFactor(1000);
        assertEquals(5.0, DecayedCounts.decayed(10.0, 0, 1000, gamma), 1e-9);
        assertEquals(2.5, DecayedCounts.decayed(10.0, 500, 2500, gamma), 1e-9);
    }
}
