package io.domainmix.core.weights.rules;

import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightInputs;
import io.domainmix.core.weights.WeightSettings;

/**
 * The multiplicative-weights update that GroupDRO and EXP3 share, kept in log form in a rule's
 * state: log u_k ← log u_k + rate · Δn · r_k, where Δn is the arrivals since the last update
 * (one update per arrival, applied in one go at each recomputation, so the result does not depend
 * on how often weights are recomputed) and r_k a domain's reward (its mean prequential loss, or a
 * scaled one). Per domain the state is {log u_k}; for the run {arrival of the last update}. A
 * domain without a reward yet (fewer than n_min scored arrivals) keeps no state and has no
 * weight; when it gets one it starts at the mean log-weight of the others, i.e. at a typical
 * weight, not at the weight of a newcomer that missed every update.
 */
final class ExponentiatedLosses {
    private ExponentiatedLosses() {}

    /** Whether domain i has a reward: enough scored arrivals and a finite loss. */
    static boolean known(WeightInputs in, WeightSettings settings, int i) {
        return in.count[i] >= settings.minExamples && Double.isFinite(in.loss[i]);
    }

    /**
     * Applies the update with rewards {@code reward} (NaN: none) and writes the normalised weights
     * u_k / Σ u (0 where there is none) to {@code out}; returns whether any domain has one.
     */
    static boolean update(WeightInputs in, double[] reward, double rate, RuleState state, double[] out) {
        int k = in.size();
        double[] clock = state.global();
        long since = clock == null ? 0 : (long) clock[0];
        long steps = Math.max(0, in.arrivals - since);
        double sum = 0;
        int withState = 0;
        for (int i = 0; i < k; i++) {
            double[] u = state.domain(i);
            if (u != null) {
                sum += u[0];
                withState++;
            }
        }
        double start = withState == 0 ? 0.0 : sum / withState;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (Double.isNaN(reward[i])) {
                continue;
            }
            double[] u = state.domain(i);
            if (u == null) {
                u = new double[] {start};
                state.setDomain(i, u);
            }
            u[0] += rate * steps * reward[i];
            max = Math.max(max, u[0]);
        }
        state.setGlobal(new double[] {in.arrivals});
        if (max == Double.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, 0.0);
            return false;
        }
        double z = 0;
        for (int i = 0; i < k; i++) {
            double[] u = state.domain(i);
            // relative to the largest, so that log-weights that grow without bound never overflow
            out[i] = Double.isNaN(reward[i]) || u == null ? 0.0 : Math.exp(u[0] - max);
            z += out[i];
        }
        for (int i = 0; i < k; i++) {
            out[i] /= z;
        }
        // keep the stored log-weights near 0: only their differences matter
        for (int i = 0; i < k; i++) {
            double[] u = state.domain(i);
            if (u != null) {
                u[0] -= max;
            }
        }
        return true;
    }
}
