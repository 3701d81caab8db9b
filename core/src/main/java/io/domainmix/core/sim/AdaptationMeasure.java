package io.domainmix.core.sim;

/**
 * How fast one weight of one domain follows a change: fed the weight in force after each of the
 * domain's arrivals after the change point, it finds the adaptation lag and the error over the
 * last quarter of the stream.
 *
 * <p>The weight has <em>adapted</em> after m of the domain's examples when it is inside the band
 * around its target at every later arrival of the domain up to the end of the stream ("stays"),
 * and that includes the whole last quarter: a weight that only enters the band in the last
 * quarter has not shown that it stays, and counts as not adapted. The lag is m, the number of
 * the domain's examples after the change up to its last arrival outside the band (0 when it was
 * never outside).
 */
final class AdaptationMeasure {
    private final double target;
    private final double tolerance;
    private final boolean relative;
    private final long lastQuarterStart;
    private long examples;
    private long lastOutside;
    private long lastOutsidePosition = -1;
    private double lastQuarterErrorSum;
    private long lastQuarterCount;

    /**
     * @param relative whether {@code tolerance} is a fraction of the target (λ: 0.20) or absolute (p: 0.05)
     * @param streamLength the stream's length, for its last quarter
     */
    AdaptationMeasure(double target, double tolerance, boolean relative, long streamLength) {
        this.target = target;
        this.tolerance = tolerance;
        this.relative = relative;
        this.lastQuarterStart = streamLength - streamLength / 4;
    }

    /** The weight in force after the domain's arrival at stream position {@code position}. */
    void observe(long position, double weight) {
        examples++;
        double error = Math.abs(weight - target);
        if (relative) {
            error /= target;
        }
        if (!(error <= tolerance)) { // NaN (no weight yet) is outside
            lastOutside = examples;
            lastOutsidePosition = position;
        }
        if (position >= lastQuarterStart) {
            lastQuarterErrorSum += Double.isFinite(error) ? error : 0;
            lastQuarterCount++;
        }
    }

    double target() {
        return target;
    }

    boolean adapted() {
        return examples > 0 && lastOutsidePosition < lastQuarterStart;
    }

    /** The lag in the domain's examples, or -1 when the weight has not adapted. */
    long adaptationExamples() {
        return adapted() ? lastOutside : -1;
    }

    /** The domain's examples observed after the change. */
    long examples() {
        return examples;
    }

    /** Mean |w − target| (relative to the target when the tolerance is) over the domain's arrivals in the last quarter. */
    double lastQuarterError() {
        return lastQuarterCount == 0 ? Double.NaN : lastQuarterErrorSum / lastQuarterCount;
    }
}
