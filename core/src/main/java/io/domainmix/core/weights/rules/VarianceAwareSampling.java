package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.SamplingRule;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;

/**
 * {@code va}: p ∝ π λ √M, the Cauchy–Schwarz minimiser of the corrected gradient's second moment
 * Σ (πλ)² M / p, mixed with π by ε. A domain without M_k yet gets the mean √M of the others.
 */
public final class VarianceAwareSampling implements SamplingRule {
    @Override
    public String name() {
        return "va";
    }

    @Override
    public String description() {
        return "variance-aware: p ∝ π λ √M, mixed with π by ε";
    }

    @Override
    public boolean mixedWithShares() {
        return true;
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        int k = raw.length;
        double sum = 0;
        int known = 0;
        for (int i = 0; i < k; i++) {
            double m = in.gradientSecondMoment[i];
            if (Double.isFinite(m) && m >= 0) {
                raw[i] = Math.sqrt(m);
                sum += raw[i];
                known++;
            } else {
                raw[i] = Double.NaN;
            }
        }
        double mean = known == 0 ? 1.0 : sum / known;
        for (int i = 0; i < k; i++) {
            double root = Double.isNaN(raw[i]) ? mean : raw[i];
            raw[i] = in.share[i] * lossWeight[i] * root;
        }
    }
}
