package io.domainmix.core.weights;

/**
 * A sampling policy p (ALGORITHMS.md §3): one class per policy. It gives each domain a raw,
 * unnormalised sampling weight, or NaN where it has none yet; {@link WeightCalculator} fills the
 * unknown ones with the mean of the known, mixes with the shares by ε when the rule asks for it,
 * and normalises Σ p = 1.
 */
public interface SamplingRule extends WeightRule {
    /** Fills {@code raw} (length K) with each domain's raw sampling weight, NaN where unknown. */
    void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                            double[] raw);

    /**
     * Whether p is mixed with the shares, p = (1 − ε) p_rule + ε π: for rules whose p may starve a
     * domain or make w = πλ/p large (the mixture keeps w ≤ λ/ε).
     */
    default boolean mixedWithShares() {
        return false;
    }
}
