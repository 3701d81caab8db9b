package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.SamplingRule;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.Arrays;

/** {@code uniform}: p = 1/K. */
public final class UniformSampling implements SamplingRule {
    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public String description() {
        return "p = 1/K";
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        Arrays.fill(raw, 1.0);
    }
}
