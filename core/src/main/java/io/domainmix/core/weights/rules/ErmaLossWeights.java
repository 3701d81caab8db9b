package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleRequirement;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code erma}: λ ∝ 1 / max(L̄_k, floor), L̄_k the domain's mean prequential loss; a domain with
 * fewer than n_min scored arrivals has none yet. Any model.
 */
public final class ErmaLossWeights implements LossWeightRule {
    @Override
    public String name() {
        return "erma";
    }

    @Override
    public String description() {
        return "λ ∝ 1 / L̄_k, the inverse mean prequential loss; any model";
    }

    @Override
    public Set<RuleRequirement> requirements() {
        return EnumSet.of(RuleRequirement.REFERENCE_LOSSES);
    }

    @Override
    public void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw) {
        for (int i = 0; i < raw.length; i++) {
            boolean known = in.count[i] >= settings.minExamples && Double.isFinite(in.loss[i]);
            raw[i] = known ? 1.0 / Math.max(in.loss[i], settings.floor) : Double.NaN;
        }
    }
}
