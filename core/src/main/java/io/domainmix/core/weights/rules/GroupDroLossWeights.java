package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;

/**
 * {@code groupdro}: the worst-case objective of Group DRO (Sagawa et al. 2020, "Distributionally
 * Robust Neural Networks"), by exponentiated-gradient ascent on the domain weights q:
 * q_k ← q_k · exp(η_q · L̄_k), normalised, one step per arrival (ExponentiatedLosses), with L̄_k
 * the domain's mean prequential loss. The objective Σ q_k E_k ℓ is Σ π_k λ_k E_k ℓ with
 * λ_k = q_k / π_k, so λ_k ∝ q_k / π_k, then clipped and normalised like every policy. The q's
 * (as log-weights) are the rule's state, kept with the trainer's checkpointed state.
 */
public final class GroupDroLossWeights implements LossWeightRule {
    public static final RuleParameter<Double> STEP = RuleParameter.of("groupdro-step", "≥ 0", 0.01,
            RuleParameter.number(0, 1e3), "η_q of `--loss-weights groupdro`: the exponentiated-gradient step on the "
                    + "domain weights q per arrival (Sagawa et al. use 0.01 per step).");

    @Override
    public String name() {
        return "groupdro";
    }

    @Override
    public String description() {
        return "Group DRO: q_k ← q_k·exp(η_q·L̄_k), λ ∝ q/π (`--groupdro-step`); the worst-case objective";
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(STEP);
    }

    @Override
    public void rawLossWeights(WeightInputs in, WeightSettings settings, RuleState state, double[] raw) {
        double[] loss = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            loss[i] = ExponentiatedLosses.known(in, settings, i) && in.share[i] > 0 ? in.loss[i] : Double.NaN;
        }
        if (!ExponentiatedLosses.update(in, loss, settings.get(STEP), state, raw)) {
            java.util.Arrays.fill(raw, Double.NaN);
            return;
        }
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Double.isNaN(loss[i]) ? Double.NaN : raw[i] / in.share[i];
        }
    }
}
