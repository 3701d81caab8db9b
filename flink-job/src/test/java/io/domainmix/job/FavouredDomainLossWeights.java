package io.domainmix.job;

import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;

/**
 * A loss-weight policy registered only in the test sources (META-INF/services of the test
 * resources), with two parameters of its own: λ of the favoured domain is {@code factor} times the
 * others'. It shows that a policy and its options plug into the job through the registry without
 * a change to any other file.
 */
public final class FavouredDomainLossWeights implements LossWeightRule {
    static final RuleParameter<String> DOMAIN = RuleParameter.of("favoured-domain", "domain", "",
            v -> v, "The domain `--loss-weights favoured` weights up.");
    static final RuleParameter<Double> FACTOR = RuleParameter.of("favoured-factor", "≥ 1", 2.0,
            RuleParameter.number(1, 1e6), "How many times the others' λ the favoured domain gets.");

    @Override
    public String name() {
        return "favoured";
    }

    @Override
    public String description() {
        return "λ of one domain a factor above the others' (a test policy)";
    }

    @Override
    public boolean documented() {
        return false;
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(DOMAIN, FACTOR);
    }

    @Override
    public void validate(WeightSettings settings) {
        if (settings.get(DOMAIN).isEmpty()) {
            throw new IllegalArgumentException("the favoured loss-weight policy needs --favoured-domain");
        }
    }

    @Override
    public void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw) {
        for (int i = 0; i < raw.length; i++) {
            raw[i] = in.domains[i].equals(settings.get(DOMAIN)) ? settings.get(FACTOR) : 1.0;
        }
    }
}
