package io.domainmix.core.weights;

/**
 * Predicted second moment of the one-slot gradient estimate (ALGORITHMS.md §3):
 * {@code N(p) = Σ_k (π_k λ_k)² M_k / p_k} with importance correction, and
 * {@code Σ_k p_k λ_k² M_k} without. Near the optimum it is the trace of the gradient
 * covariance, i.e. the noise SGD has to average away.
 */
public final class GradientNoise {
    private GradientNoise() {}

    public static double predicted(ImportanceMode mode, double[] share, double[] lambda, double[] p, double[] m) {
        double n = 0;
        for (int i = 0; i < share.length; i++) {
            if (!(m[i] >= 0) || p[i] <= 0) {
                continue;
            }
            double w = WeightCalculator.importanceWeight(mode, share[i], lambda[i], p[i]);
            n += p[i] * w * w * m[i];
        }
        return n;
    }

    /** N_prop = Σ π λ² M: the noise of proportional sampling with the same loss weights. */
    public static double proportional(double[] share, double[] lambda, double[] m) {
        return predicted(ImportanceMode.CORRECTED, share, lambda, share, m);
    }

    /** N_va = (Σ π λ √M)²: the noise of pure (unmixed) VA sampling, the minimum over p. */
    public static double varianceAware(double[] share, double[] lambda, double[] m) {
        double s = 0;
        for (int i = 0; i < share.length; i++) {
            if (m[i] >= 0) {
                s += share[i] * lambda[i] * Math.sqrt(m[i]);
            }
        }
        return s * s;
    }
}
