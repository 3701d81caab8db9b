package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.SamplingRule;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;

/** {@code proportional}: p = π, what consuming the stream as it arrives gives. */
public final class ProportionalSampling implements SamplingRule {
    @Override
    public String name() {
        return "proportional";
    }

    @Override
    public String description() {
        return "p = π: what consuming the stream as it arrives gives";
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        System.arraycopy(in.share, 0, raw, 0, raw.length);
    }
}
