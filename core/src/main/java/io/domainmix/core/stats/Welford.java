package io.domainmix.core.stats;

/**
 * Running mean and variance by Welford's update, numerically stable for long streams
 * (no sum of squares that cancels). Used for feature standardization and for test oracles.
 */
public final class Welford {
    private long n;
    private double mean;
    private double m2;

    public void add(double v) {
        n++;
        double delta = v - mean;
        mean += delta / n;
        m2 += delta * (v - mean);
    }

    public long count() {
        return n;
    }

    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** Unbiased sample variance (n − 1 in the denominator); NaN below two values. */
    public double variance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    public double standardDeviation() {
        return Math.sqrt(variance());
    }
}
