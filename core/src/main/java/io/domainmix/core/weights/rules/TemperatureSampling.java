package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.SamplingRule;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;

/**
 * {@code temperature}: p_k ∝ π_k^{1/T}, the sampling of multilingual training (n_k^{1/T} over
 * dataset sizes; here over the arrival shares, which are proportional to the counts at steady
 * rates and follow a change of rates). T = 1 is proportional sampling, T → ∞ uniform. The default
 * T = 2 (square-root sampling) is the midpoint of the two on the log scale; multilingual models
 * have used T from about 1.4 (exponent 0.7) to 5 (exponent 0.2).
 */
public final class TemperatureSampling implements SamplingRule {
    public static final RuleParameter<Double> TEMPERATURE = RuleParameter.of("temperature", "> 0", 2.0,
            RuleParameter.number(1e-3, 1e6), "T of `--sampling temperature`, p ∝ π^{1/T}: 1 is proportional, "
                    + "large T uniform.");

    @Override
    public String name() {
        return "temperature";
    }

    @Override
    public String description() {
        return "p ∝ π^{1/T} (`--temperature`), the multilingual-training baseline";
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(TEMPERATURE);
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        double exponent = 1.0 / settings.get(TEMPERATURE);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = in.share[i] > 0 ? Math.pow(in.share[i], exponent) : 0.0;
        }
    }
}
