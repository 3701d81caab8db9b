package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.Arrays;

/** {@code uniform}: λ = 1, plain ERM on the mixture (OLS for linear regression). */
public final class UniformLossWeights implements LossWeightRule {
    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public String description() {
        return "λ = 1: plain ERM on the mixture (OLS for linear regression)";
    }

    @Override
    public void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw) {
        Arrays.fill(raw, 1.0);
    }
}
