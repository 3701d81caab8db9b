package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;
import java.util.Map;

/** {@code static}: user-given λ per domain; a domain without one gets the mean of the given ones. */
public final class StaticLossWeights implements LossWeightRule {
    public static final RuleParameter<Map<String, Double>> WEIGHTS = new RuleParameter<>("static-loss-weights",
            "domain=w,...", Map.of(), "", RuleParameter.domainWeights(), "λ per domain for `--loss-weights static`.");

    @Override
    public String name() {
        return "static";
    }

    @Override
    public String description() {
        return "user-given λ per domain (`--static-loss-weights`)";
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(WEIGHTS);
    }

    @Override
    public void validate(WeightSettings settings) {
        GivenWeights.requireSome(settings.get(WEIGHTS), "loss-weight");
    }

    @Override
    public void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw) {
        GivenWeights.fill(settings.get(WEIGHTS), in.domains, raw);
    }
}
