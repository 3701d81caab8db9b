package io.domainmix.core.offline;

import java.util.List;

/**
 * The offline reference of one set of training rows: the unweighted fit (OLS, or the logistic
 * MLE), each domain's noise level and the loss weights it implies, and the weighted fit with
 * those weights (one-shot FGLS, or the weighted logistic MLE).
 *
 * @param domains         in name order
 * @param share           each domain's share π of the training rows
 * @param unweightedTheta OLS (linear) or the MLE with equal weights (logistic)
 * @param noiseLevel      σ̂²_k of the OLS residuals (linear), or the mean log-loss of the MLE on
 *                        domain k (logistic)
 * @param lossWeight      λ_k ∝ 1 / noiseLevel_k, scaled so that Σ π_k λ_k = 1 (the job's scaling)
 * @param weightedTheta   one-shot FGLS (linear) or the λ-weighted MLE (logistic)
 */
public record ReferenceFit(List<String> domains, double[] share, double[] unweightedTheta, double[] noiseLevel,
                           double[] lossWeight, double[] weightedTheta) {

    /** λ_k = 1 / level_k, scaled so that Σ π_k λ_k = 1; a domain with no level gets the mean. */
    static double[] inverseWeights(double[] level, double[] share) {
        double[] lambda = new double[level.length];
        double sum = 0;
        int known = 0;
        for (int i = 0; i < level.length; i++) {
            if (level[i] > 0 && Double.isFinite(level[i])) {
                lambda[i] = 1.0 / level[i];
                sum += lambda[i];
                known++;
            } else {
                lambda[i] = Double.NaN;
            }
        }
        double fill = known == 0 ? 1.0 : sum / known;
        double z = 0;
        for (int i = 0; i < lambda.length; i++) {
            if (Double.isNaN(lambda[i])) {
                lambda[i] = fill;
            }
            z += share[i] * lambda[i];
        }
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] /= z;
        }
        return lambda;
    }

    /** λ of a domain, NaN when the fit has no such domain. */
    public double lossWeightOf(String domain) {
        int i = domains.indexOf(domain);
        return i < 0 ? Double.NaN : lossWeight[i];
    }
}
