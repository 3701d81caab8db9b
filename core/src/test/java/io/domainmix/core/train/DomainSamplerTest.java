package io.domainmix.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.rng.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DomainSamplerTest {

    private static java.util.function.IntPredicate withExamples(int[] sizes) {
        return i -> sizes[i] > 0;
    }

    /** Weights spanning four orders of magnitude, some domains without examples, one with p = 0. */
    private static double[] weights(int k, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = Math.pow(10, 4 * r.nextDouble());
        }
        if (k > 2) {
            p[k / 2] = 0;
        }
        return p;
    }

    private static int[] sizes(int k) {
        int[] sizes = new int[k];
        for (int i = 0; i < k; i++) {
            sizes[i] = i % 7 == 3 ? 0 : 1 + i % 5;
        }
        return sizes;
    }

    @Test
    void theTableGivesEachDomainWithExamplesExactlyItsRenormalizedWeight() {
        for (int k : new int[] {1, 2, 3, 17, 10_000}) {
            double[] p = weights(k, k);
            int[] sizes = sizes(k);
            DomainSampler sampler = new DomainSampler();
            sampler.rebuildIfStale(p, withExamples(sizes));
            double total = 0;
            for (int i = 0; i < k; i++) {
                total += sizes[i] > 0 ? p[i] : 0;
            }
            assertEquals(total, sampler.total(), 1e-9 * total);
            double sum = 0;
            for (int i = 0; i < k; i++) {
                double want = sizes[i] > 0 ? p[i] / total : 0.0;
                double got = sampler.probabilityOf(i);
                assertEquals(want, got, 1e-12 + 1e-9 * want, "domain " + i + " of " + k);
                sum += got;
            }
            assertEquals(1.0, sum, 1e-9);
        }
    }

    @Test
    void drawsFollowTheWeightsWithinFourStandardErrors() {
        int k = 5;
        double[] p = {0.5, 0.05, 0.0, 0.3, 0.15};
        int[] sizes = {3, 1, 4, 0, 2}; // domain 3 has no examples: renormalized over 0, 1, 4
        DomainSampler sampler = new DomainSampler();
        sampler.rebuildIfStale(p, withExamples(sizes));
        SplitMix64 rng = new SplitMix64(99);
        int n = 400_000;
        long[] counts = new long[k];
        for (int i = 0; i < n; i++) {
            counts[sampler.draw(rng)]++;
        }
        double total = 0.7;
        for (int i = 0; i < k; i++) {
            double q = sizes[i] > 0 ? p[i] / total : 0;
            double se = Math.sqrt(q * (1 - q) / n);
            assertEquals(q, counts[i] / (double) n, 4 * se + 1e-12, "domain " + i + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void aRebuiltTableDrawsTheSameDomainsFromTheSameGeneratorState() {
        double[] p = weights(1000, 5);
        int[] sizes = sizes(1000);
        DomainSampler a = new DomainSampler();
        a.rebuildIfStale(p, withExamples(sizes));
        DomainSampler b = new DomainSampler();
        b.rebuildIfStale(weights(1000, 6), withExamples(sizes)); // another table first, as a sampler that lived longer
        b.invalidate();
        b.rebuildIfStale(p, withExamples(sizes));
        SplitMix64 ra = new SplitMix64(7);
        SplitMix64 rb = new SplitMix64(7);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(a.draw(ra), b.draw(rb));
        }
    }

    @Test
    void aTableIsRebuiltOnlyWhenMarkedStaleAndNoDomainWithExamplesLeavesItEmpty() {
        DomainSampler sampler = new DomainSampler();
        sampler.rebuildIfStale(new double[] {1, 1}, withExamples(new int[] {0, 0}));
        assertTrue(sampler.isEmpty());
        sampler.rebuildIfStale(new double[] {1, 1}, withExamples(new int[] {1, 0}));
        assertTrue(sampler.isEmpty(), "not marked stale: the old table stands");
        sampler.invalidate();
        sampler.rebuildIfStale(new double[] {1, 1}, withExamples(new int[] {1, 0}));
        assertEquals(0, sampler.draw(new SplitMix64(1)));
    }
}
