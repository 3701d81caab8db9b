package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.SamplingRule;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;
import java.util.Map;

/** {@code static}: user-given sampling weights per domain; a domain without one gets the mean of the given ones. */
public final class StaticSampling implements SamplingRule {
    public static final RuleParameter<Map<String, Double>> WEIGHTS = new RuleParameter<>("static-sampling-weights",
            "domain=w,...", Map.of(), "", RuleParameter.domainWeights(), "Sampling weights for `--sampling static`.");

    @Override
    public String name() {
        return "static";
    }

    @Override
    public String description() {
        return "user-given p per domain (`--static-sampling-weights`)";
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(WEIGHTS);
    }

    @Override
    public void validate(WeightSettings settings) {
        GivenWeights.requireSome(settings.get(WEIGHTS), "sampling");
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        GivenWeights.fill(settings.get(WEIGHTS), in.domains, raw);
    }
}
