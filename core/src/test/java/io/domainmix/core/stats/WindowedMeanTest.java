package io.domainmix.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.rng.SplitMix64;
import org.junit.jupiter.api.Test;

class WindowedMeanTest {

    /**
     * The definition, from the whole sequence: windows of lengths 1, 2, 4, … (capped at max) one
     * after another; after n values the current window is the one holding value n − 1.
     */
    private static double oracle(double[] v, int n, long max) {
        long start = 0;
        long length = 1;
        long previousStart = 0;
        long previousLength = 0;
        while (start + length < n) {
            previousStart = start;
            previousLength = length;
            start += length;
            length = Math.min(2 * length, max);
        }
        long from = n - start >= previousLength ? start : previousStart;
        long to = n - start >= previousLength ? n : previousStart + previousLength;
        double sum = 0;
        for (long i = from; i < to; i++) {
            sum += v[(int) i];
        }
        return sum / (to - from);
    }

    @Test
    void readsTheLongerOfTheCurrentAndTheLastCompletedWindow() {
        SplitMix64 rng = new SplitMix64(3);
        double[] v = new double[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian() + i * 0.001;
        }
        for (long max : new long[] {1, 7, 64, 1 << 20}) {
            WindowedMean m = new WindowedMean();
            for (int n = 1; n <= v.length; n++) {
                m.add(v[n - 1], max);
                assertEquals(oracle(v, n, max), m.read(), 1e-9 * (1 + Math.abs(m.read())), "n = " + n + ", max = " + max);
            }
        }
        assertTrue(Double.isNaN(new WindowedMean().read()));
    }

    @Test
    void forgetsAStartUpTransientThatAnEmaKeeps() {
        // 300 values of 380 (an untrained model's loss on labels of mean 27), then 3,700 of 1
        WindowedMean m = new WindowedMean();
        double raw = 0;
        double beta = 0.001;
        for (int i = 0; i < 4000; i++) {
            double v = i < 300 ? 380 : 1;
            m.add(v, 4096);
            raw = BiasCorrectedEma.update(raw, beta, v);
        }
        assertEquals(1.0, m.read(), 0.0, "the newest window [2047, 4095) holds only values of 1");
        double ema = BiasCorrectedEma.read(raw, beta, 4000);
        assertTrue(ema > 3, "the EMA still carries the start (≈ 3.5, three times the converged value): " + ema);
    }

    @Test
    void aRestartKeepsTheOldReadingUntilTheCarryOfNewValuesThenReadsOnlyThem() {
        WindowedMean m = new WindowedMean();
        for (int i = 0; i < 10_000; i++) {
            m.add(1.0, 4096);
        }
        m.restart(256);
        assertEquals(1.0, m.read(), 0.0, "the old reading stands in right after the restart");
        for (int i = 0; i < 255; i++) {
            m.add(20.0, 4096);
            assertEquals(1.0, m.read(), 0.0, "fewer new values than the carry: still the old reading");
        }
        m.add(20.0, 4096);
        assertEquals(20.0, m.read(), 0.0, "256 new values: only they count");
        for (int i = 0; i < 5000; i++) {
            m.add(20.0, 4096);
            assertEquals(20.0, m.read(), 0.0, "no old value comes back");
        }
        WindowedMean empty = new WindowedMean();
        empty.restart(256);
        assertTrue(Double.isNaN(empty.read()));
        empty.add(3.0, 4096);
        assertEquals(3.0, empty.read(), 0.0, "nothing to stand in: the new values read at once");
    }
}
