package io.domainmix.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lag and "stays" of {@link AdaptationMeasure} on hand-made trajectories. */
class AdaptationMeasureTest {

    @Test
    void lagIsTheLastExampleOutsideTheBand() {
        // stream of 100, last quarter from 75; the weight enters the 20 % band of 1.0 at the 3rd
        // example, leaves it at the 5th, and is inside from the 6th on
        AdaptationMeasure m = new AdaptationMeasure(1.0, 0.2, true, 100);
        double[] w = {2.0, 1.5, 1.1, 0.9, 0.7, 1.0};
        for (int i = 0; i < w.length; i++) {
            m.observe(50 + i, w[i]);
        }
        for (int i = 56; i < 100; i++) {
            m.observe(i, 1.05);
        }
        assertTrue(m.adapted());
        assertEquals(5, m.adaptationExamples());
        assertEquals(0.05, m.lastQuarterError(), 1e-12);
    }

    @Test
    void enteringOnlyInTheLastQuarterIsNotAdapting() {
        AdaptationMeasure m = new AdaptationMeasure(0.2, 0.05, false, 100);
        for (int i = 50; i < 80; i++) {
            m.observe(i, 0.5);
        }
        for (int i = 80; i < 100; i++) {
            m.observe(i, 0.21);
        }
        assertFalse(m.adapted());
        assertEquals(-1, m.adaptationExamples());
        // 5 arrivals at |0.5 − 0.2| and 20 at 0.01, from 75 on
        assertEquals((5 * 0.3 + 20 * 0.01) / 25, m.lastQuarterError(), 1e-12);
    }

    @Test
    void noWeightYetCountsAsOutside() {
        AdaptationMeasure m = new AdaptationMeasure(1.0, 0.2, true, 100);
        m.observe(10, Double.NaN);
        m.observe(11, 1.0);
        assertEquals(1, m.adaptationExamples());
        AdaptationMeasure never = new AdaptationMeasure(1.0, 0.2, true, 100);
        assertFalse(never.adapted(), "no arrival after the change: nothing shown");
    }
}
