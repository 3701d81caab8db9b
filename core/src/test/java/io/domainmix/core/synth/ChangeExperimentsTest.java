package io.domainmix.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import org.junit.jupiter.api.Test;

/** The experiments with a change point: where the change falls, and that the stream follows it. */
class ChangeExperimentsTest {
    private static final int D = Experiment.DEFAULT_DIMENSION;
    private static final long LENGTH = 100_000;

    @Test
    void changePointsAndChangedDomains() {
        Experiment drift = Experiment.named("drift", D);
        assertEquals(0.5, drift.changeAt(), 0.0);
        assertEquals("d2", drift.changedDomain());
        assertEquals(0.3, Experiment.named("arrive", D).changeAt(), 0.0);
        assertEquals("d3", Experiment.named("arrive", D).changedDomain());
        assertEquals(0.6, Experiment.named("vanish", D).changeAt(), 0.0);
        assertEquals("d1", Experiment.named("vanish", D).changedDomain(), "the domain that survives");
        for (String name : Experiment.paperNames()) {
            Experiment e = Experiment.named(name, D);
            assertFalse(e.changes(), name);
            assertTrue(Double.isNaN(e.changeAt()), name);
            assertNull(e.changedDomain(), name);
        }
        assertThrows(IllegalArgumentException.class, () -> drift.arrivals(drift.groundTruth(1), 1),
                "a changing stream needs its length");
    }

    @Test
    void aStationaryStreamIsTheSameWithOrWithoutALength() {
        for (String name : Experiment.paperNames()) {
            Experiment e = Experiment.named(name, D);
            GroundTruth truth = e.groundTruth(5);
            Experiment.Arrivals plain = e.arrivals(truth, 5);
            Experiment.Arrivals sized = e.arrivals(truth, 5, 1000);
            for (int i = 0; i < 1000; i++) {
                int k = plain.nextDomain();
                assertEquals(k, sized.nextDomain(), name + " arrival " + i);
                Example a = plain.next(k);
                Example b = sized.next(k);
                assertArrayEquals(a.x, b.x, 0.0);
                assertEquals(a.y, b.y, 0.0);
            }
        }
    }

    @Test
    void driftNoiseJumpsAtHalfTheStream() {
        Experiment e = Experiment.named("drift", D);
        GroundTruth truth = e.groundTruth(7);
        Experiment.Arrivals arrivals = e.arrivals(truth, 7, LENGTH);
        double[] ss = new double[4];
        long[] n = new long[4];
        for (long i = 0; i < LENGTH; i++) {
            int k = arrivals.nextDomain();
            Example ex = arrivals.next(k);
            double r = ex.y - truth.target().at(ex.x);
            int cell = 2 * k + (i >= LENGTH / 2 ? 1 : 0);
            ss[cell] += r * r;
            n[cell]++;
        }
        double[] expected = {1, 1, 1, 20}; // d1 before, after; d2 before, after
        for (int c = 0; c < 4; c++) {
            // residual variance within 4 standard errors (sd of s² ≈ σ²√(2/n))
            assertEquals(expected[c], ss[c] / n[c], 4 * expected[c] * Math.sqrt(2.0 / n[c]), "cell " + c);
        }
    }

    @Test
    void arriveAddsAThirdDomainAtThirtyPercent() {
        long[][] counts = sharesBeforeAndAfter("arrive", 0.3);
        assertEquals(0, counts[0][2], "no d3 before 30 %");
        long after = counts[1][0] + counts[1][1] + counts[1][2];
        for (int k = 0; k < 3; k++) {
            // binomial share 1/3 ± 4 standard errors
            assertEquals(1.0 / 3, (double) counts[1][k] / after, 4 * Math.sqrt(2.0 / 9 / after), "share of d" + (k + 1));
        }
        assertEquals(0.5, (double) counts[0][0] / (counts[0][0] + counts[0][1]), 4 * Math.sqrt(0.25 / (0.3 * LENGTH)));
    }

    @Test
    void vanishStopsTheNoisyDomainAtSixtyPercent() {
        long[][] counts = sharesBeforeAndAfter("vanish", 0.6);
        assertEquals(0, counts[1][1], "no d2 from 60 % on");
        assertEquals(Math.round(0.4 * LENGTH), counts[1][0]);
        assertEquals(0.5, (double) counts[0][0] / (counts[0][0] + counts[0][1]), 4 * Math.sqrt(0.25 / (0.6 * LENGTH)));
    }

    private static long[][] sharesBeforeAndAfter(String name, double at) {
        Experiment e = Experiment.named(name, D);
        Experiment.Arrivals arrivals = e.arrivals(e.groundTruth(3), 3, LENGTH);
        long[][] counts = new long[2][e.domains().size()];
        for (long i = 0; i < LENGTH; i++) {
            int k = arrivals.nextDomain();
            arrivals.next(k);
            counts[(double) i / LENGTH >= at ? 1 : 0][k]++;
        }
        return counts;
    }
}
