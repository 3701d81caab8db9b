package io.domainmix.core.weights;

import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.stats.DomainStats;

/**
 * A loss-weight policy λ (ALGORITHMS.md §2): one class per policy. It gives each domain a raw,
 * unnormalised weight, or NaN where it has none yet; {@link WeightCalculator} then does what all
 * policies share: fills the unknown ones with the mean of the known, clips to max/min ≤ κ and
 * normalises Σ π λ = 1.
 */
public interface LossWeightRule extends WeightRule {
    /** Fills {@code raw} (length K) with each domain's raw λ, NaN where unknown. */
    void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw);

    /**
     * A statistics summary of domain k arrives; {@code previous} is the summary's FGLS statistics it
     * replaces (null for the first). For rules that keep their own view of the summaries.
     */
    default void onSummary(int k, DomainStats summary, FglsStatistics previous, WeightSettings settings,
                           RuleState state) {}

    /**
     * The sufficient statistics of domain k that the trainer's FGLS solve uses for σ̂²_k (rules
     * that require {@link RuleRequirement#FGLS_STATISTICS}): by default the latest summary's,
     * cumulative over the whole stream.
     */
    default FglsStatistics fglsStatistics(int k, FglsStatistics latest, WeightSettings settings, RuleState state) {
        return latest;
    }

    /** Arrivals between FGLS solves, given the configured interval (rules whose statistics forget may want it shorter). */
    default long fglsInterval(long configured, WeightSettings settings) {
        return configured;
    }
}
