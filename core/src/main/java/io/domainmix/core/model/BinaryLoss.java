package io.domainmix.core.model;

/** The logistic loss in a form that neither overflows nor loses precision for large |f|. */
public final class BinaryLoss {
    private BinaryLoss() {}

    public static double sigmoid(double f) {
        if (f >= 0) {
            return 1.0 / (1.0 + Math.exp(-f));
        }
        double e = Math.exp(f);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^f) − y f}, with softplus computed as {@code max(f,0) + log1p(e^{−|f|})}. */
    public static double logLoss(double f, double y) {
        return Math.max(f, 0.0) + Math.log1p(Math.exp(-Math.abs(f))) - y * f;
    }
}
