package io.domainmix.producers.file;

import io.domainmix.core.stats.Welford;

/**
 * Per-feature statistics from a first pass over the records that become examples, used to fill
 * missing values with the column mean and, optionally, to standardize every feature to mean 0
 * and variance 1: {@code x' = (x − mean) / sd}. A constant column (sd 0) is only centred.
 * Only the leading {@code features} entries of x are touched: the one-hot columns after them
 * are never missing and stay 0/1.
 */
public final class FeatureScaling {
    private final Welford[] columns;
    private double[] mean;
    private double[] scale;
    private boolean standardize;

    public FeatureScaling(int features) {
        columns = new Welford[features];
        for (int i = 0; i < features; i++) {
            columns[i] = new Welford();
        }
    }

    /** Adds one record's features; NaN (a missing value) is left out of its column. */
    public void add(double[] x) {
        for (int i = 0; i < columns.length; i++) {
            if (!Double.isNaN(x[i])) {
                columns[i].add(x[i]);
            }
        }
    }

    /** Freezes the statistics; call after the first pass. */
    public void finish(boolean standardize) {
        this.standardize = standardize;
        mean = new double[columns.length];
        scale = new double[columns.length];
        for (int i = 0; i < columns.length; i++) {
            mean[i] = columns[i].count() == 0 ? 0.0 : columns[i].mean();
            double sd = columns[i].standardDeviation();
            scale[i] = sd > 0 ? 1.0 / sd : 1.0;
        }
    }

    /** Fills missing values with the mean, then standardizes if asked; in place. */
    public void apply(double[] x) {
        for (int i = 0; i < columns.length; i++) {
            double v = Double.isNaN(x[i]) ? mean[i] : x[i];
            x[i] = standardize ? (v - mean[i]) * scale[i] : v;
        }
    }

    public double mean(int feature) {
        return mean[feature];
    }

    /** The standard deviation of a feature over the first pass (NaN below two values). */
    public double standardDeviation(int feature) {
        return columns[feature].standardDeviation();
    }

    public long count(int feature) {
        return columns[feature].count();
    }

    /** Whether a feature is constant (its sd is 0 or undefined), so standardizing only centres it. */
    public boolean constant(int feature) {
        return !(columns[feature].standardDeviation() > 0);
    }
}
