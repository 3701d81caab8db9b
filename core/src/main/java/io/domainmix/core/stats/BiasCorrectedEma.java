package io.domainmix.core.stats;

/**
 * Exponential moving average {@code m ← (1−β) m + β v}, started at zero and read with the
 * bias correction {@code m / (1 − (1−β)^n)}, so that early readings are proper averages of the
 * values seen rather than pulled towards zero. Static functions over (raw, n) so that the two
 * numbers can live in any state object.
 */
public final class BiasCorrectedEma {
    private BiasCorrectedEma() {}

    /** The raw average after one more value. */
    public static double update(double raw, double beta, double value) {
        return raw + beta * (value - raw);
    }

    /** The corrected reading after {@code n} values; NaN before the first. */
    public static double read(double raw, double beta, long n) {
        if (n <= 0) {
            return Double.NaN;
        }
        double correction = 1.0 - Math.pow(1.0 - beta, n);
        return raw / correction;
    }
}
