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

    /**
     * Stratified slots: every step gives domain k ⌊B·q_k⌋ or ⌈B·q_k⌉ of its B slots, and over many
     * steps k's mean count is B·q_k (within 4 standard errors of the observed counts), so a slot
     * picked at random is k with probability q_k, as with independent draws.
     */
    @Test
    void stratifiedSlotsGiveEachDomainTheFloorOrCeilingOfItsShareAndItsShareOnAverage() {
        for (int k : new int[] {1, 2, 3, 17, 1000}) {
            for (int b : new int[] {2, 4, 8, 64}) {
                double[] p = weights(k, 31L * k + b);
                int[] sizes = sizes(k);
                DomainSampler sampler = new DomainSampler();
                sampler.rebuildIfStale(p, withExamples(sizes));
                int[] slots = new int[b];
                double[] want = new double[k];
                for (int i = 0; i < k; i++) {
                    want[i] = b * sampler.probabilityOf(i);
                }
                int steps = 20_000;
                long[] count = new long[k];
                long[] countSq = new long[k];
                int[] inStep = new int[k];
                SplitMix64 rng = new SplitMix64(k * 1000L + b);
                for (int n = 0; n < steps; n++) {
                    Arrays.fill(inStep, 0);
                    sampler.drawSlots(b, rng, slots);
                    for (int d : slots) {
                        inStep[d]++;
                    }
                    for (int i = 0; i < k; i++) {
                        if (inStep[i] < Math.floor(want[i] - 1e-9) || inStep[i] > Math.ceil(want[i] + 1e-9)) {
                            throw new AssertionError("domain " + i + " of " + k + ", B = " + b + ": " + inStep[i]
                                    + " slots, B·q = " + want[i]);
                        }
                        count[i] += inStep[i];
                        countSq[i] += (long) inStep[i] * inStep[i];
                    }
                }
                // the count is ⌊B·q⌋ plus a Bernoulli(r), r the remainder: each mean within 4 of its exact
                // standard errors where there are few domains, and over many rare ones the sum of the
                // squared standardized deviations, a χ² of n degrees, within 4 of its standard deviations
                double chiSquare = 0;
                int degrees = 0;
                for (int i = 0; i < k; i++) {
                    double r = want[i] - Math.floor(want[i]);
                    double mean = (double) count[i] / steps;
                    double variance = (double) countSq[i] / steps - mean * mean;
                    assertTrue(variance <= 0.25 + 1e-9, "a count varies by less than one slot: " + variance);
                    if (r < 1e-12) {
                        assertEquals(want[i], mean, 1e-9, "domain " + i + " of " + k + ", B = " + b);
                        continue;
                    }
                    double se = Math.sqrt(r * (1 - r) / steps);
                    if (k <= 17) {
                        assertEquals(want[i], mean, 4 * se, "domain " + i + " of " + k + ", B = " + b);
                    }
                    chiSquare += (mean - want[i]) * (mean - want[i]) / (se * se);
                    degrees++;
                }
                assertTrue(chiSquare <= degrees + 4 * Math.sqrt(2.0 * degrees) + 1e-9,
                        k + " domains, B = " + b + ": χ² " + chiSquare + " of " + degrees + " degrees");
            }
        }
    }

    /** The plan follows a rebuilt table: new weights, new counts. */
    @Test
    void stratifiedSlotsFollowARebuiltTable() {
        DomainSampler sampler = new DomainSampler();
        int[] slots = new int[4];
        SplitMix64 rng = new SplitMix64(5);
        sampler.rebuildIfStale(new double[] {0.75, 0.25}, i -> true);
        sampler.drawSlots(4, rng, slots);
        assertEquals(3, Arrays.stream(slots).filter(d -> d == 0).count());
        sampler.invalidate();
        sampler.rebuildIfStale(new double[] {0.25, 0.75}, i -> true);
        sampler.drawSlots(4, rng, slots);
        assertEquals(1, Arrays.stream(slots).filter(d -> d == 0).count());
    }
}
