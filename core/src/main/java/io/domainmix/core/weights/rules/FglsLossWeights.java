package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleRequirement;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code fgls}: one-shot FGLS, λ ∝ 1 / max(σ̂²_k, floor), σ̂²_k from the OLS residuals of the
 * domains' cumulative sufficient statistics (the trainer's periodic solve); linear regression only.
 */
public class FglsLossWeights implements LossWeightRule {
    @Override
    public String name() {
        return "fgls";
    }

    @Override
    public String description() {
        return "one-shot FGLS: λ ∝ 1 / σ̂²_k from the OLS residuals (linear model only)";
    }

    @Override
    public Set<RuleRequirement> requirements() {
        return EnumSet.of(RuleRequirement.FGLS_STATISTICS, RuleRequirement.LINEAR_MODEL);
    }

    @Override
    public void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw) {
        for (int i = 0; i < raw.length; i++) {
            boolean known = in.count[i] >= settings.minExamples && Double.isFinite(in.noiseVariance[i]);
            raw[i] = known ? 1.0 / Math.max(in.noiseVariance[i], settings.floor) : Double.NaN;
        }
    }
}
