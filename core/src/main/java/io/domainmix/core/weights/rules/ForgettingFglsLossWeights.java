package io.domainmix.core.weights.rules;

import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.stats.DomainStats;
import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;

/**
 * {@code fgls-forgetting}: FGLS on exponentially weighted sufficient statistics, so that σ̂²_k
 * follows a change of a domain's noise. Each summary's increment over the previous one (the
 * domain's examples in between) is added after the statistics so far are multiplied by
 * 2^(−Δn/h), Δn those examples' count and h the half-life: an example's weight halves with
 * every h later examples of its domain, in steps of one summary interval. The σ̂² and λ then
 * follow as for {@code fgls}, the FGLS solve at least every h/2 arrivals. The decayed statistics
 * are the rule's state, per domain packed as [G (p×p), b (p), s, n, count of the last summary].
 */
public final class ForgettingFglsLossWeights extends FglsLossWeights {
    public static final RuleParameter<Double> HALF_LIFE = RuleParameter.of("fgls-half-life", "examples", 750.0,
            RuleParameter.number(1, 1e15), "h of `--loss-weights fgls-forgetting`: a domain's example counts half "
                    + "after h more examples of that domain. The default follows a 20-fold jump of a domain's noise to "
                    + "within 20 % of the new GLS weight in about 4,000 of its examples (summaries every 1,000), and "
                    + "σ̂² still rests on over a thousand examples (relative error about 4 %).");

    @Override
    public String name() {
        return "fgls-forgetting";
    }

    @Override
    public String description() {
        return "FGLS on exponentially weighted statistics (`--fgls-half-life`), follows a change of noise";
    }

    @Override
    public List<RuleParameter<?>> parameters() {
        return List.of(HALF_LIFE);
    }

    @Override
    public long fglsInterval(long configured, WeightSettings settings) {
        return Math.max(1, Math.min(configured, (long) (settings.get(HALF_LIFE) / 2)));
    }

    @Override
    public void onSummary(int k, DomainStats summary, FglsStatistics previous, WeightSettings settings, RuleState state) {
        FglsStatistics now = summary.fgls;
        if (now == null) {
            return;
        }
        int p = now.p;
        int yyAt = p * p + p;
        double[] f = state.domain(k);
        if (f == null) {
            f = new double[yyAt + 3];
            state.setDomain(k, f);
        }
        long before = previous == null ? 0 : previous.n;
        long added = now.n - before;
        double decay = Math.pow(2.0, -added / settings.get(HALF_LIFE));
        for (int i = 0; i < p * p; i++) {
            f[i] = decay * f[i] + now.gram[i] - (previous == null ? 0 : previous.gram[i]);
        }
        for (int i = 0; i < p; i++) {
            f[p * p + i] = decay * f[p * p + i] + now.xty[i] - (previous == null ? 0 : previous.xty[i]);
        }
        f[yyAt] = decay * f[yyAt] + now.yy - (previous == null ? 0 : previous.yy);
        f[yyAt + 1] = decay * f[yyAt + 1] + added;
        f[yyAt + 2] = now.n;
    }

    @Override
    public FglsStatistics fglsStatistics(int k, FglsStatistics latest, WeightSettings settings, RuleState state) {
        double[] f = state.domain(k);
        if (f == null) {
            return latest;
        }
        int p = latest.p;
        FglsStatistics s = new FglsStatistics(latest.intercept ? p - 1 : p, latest.intercept);
        System.arraycopy(f, 0, s.gram, 0, p * p);
        System.arraycopy(f, p * p, s.xty, 0, p);
        s.yy = f[p * p + p];
        s.n = Math.round(f[p * p + p + 1]); // the decayed count: the examples σ̂²'s degrees of freedom rest on
        return s;
    }
}
