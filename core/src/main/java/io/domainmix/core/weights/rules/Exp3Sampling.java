package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.SamplingRule;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;

/**
 * {@code exp3}: online data mixing as a bandit, in the style of ODM (Albalak et al. 2023,
 * "Efficient Online Data Mixing For Language Model Pre-Training"): EXP3 (Auer et al. 2002) over
 * the domains, with a domain's mean prequential loss as its reward (a domain the model still
 * gets wrong is worth drawing). Rewards are scaled into [0, 1] by the largest one, and each
 * arrival is one round of the full-information update log w_k ← log w_k + (γ/K) r_k
 * (ExponentiatedLosses); then p = (1 − γ) w/Σw + γ/K, mixed with π by ε like va. The weights w (as
 * log-weights) are the rule's state. On stationary losses EXP3 comes to draw the domain of
 * highest loss with probability 1 − γ + γ/K before the ε-mixture; the importance correction
 * keeps the objective what the loss weights say.
 */
public final class Exp3Sampling implements SamplingRule {
    public static final RuleParameter<Double> EXPLORATION = RuleParameter.of("exp3-exploration", "(0,1]", 0.1,
            RuleParameter.number(1e-6, 1), "γ of `--sampling exp3`: the exploration rate, which is also the "
                    + "learning rate γ/K of the weights.");

    @Override
    public String name() {
        return "exp3";
    }

    @Override
    public String description() {
        return "EXP3 bandit with the per-domain loss as reward, à la ODM (`--exp3-exploration`), mixed with π by ε";
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(EXPLORATION);
    }

    @Override
    public boolean mixedWithShares() {
        return true;
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        int k = raw.length;
        double max = 0;
        for (int i = 0; i < k; i++) {
            if (ExponentiatedLosses.known(in, settings, i)) {
                max = Math.max(max, in.loss[i]);
            }
        }
        double[] reward = new double[k];
        for (int i = 0; i < k; i++) {
            reward[i] = ExponentiatedLosses.known(in, settings, i) && max > 0 ? in.loss[i] / max : Double.NaN;
        }
        double gamma = settings.get(EXPLORATION);
        if (!ExponentiatedLosses.update(in, reward, gamma / k, state, raw)) {
            java.util.Arrays.fill(raw, 1.0); // no rewards yet: uniform
            return;
        }
        for (int i = 0; i < k; i++) {
            raw[i] = Double.isNaN(reward[i]) ? Double.NaN : (1 - gamma) * raw[i] + gamma / k;
        }
    }
}
