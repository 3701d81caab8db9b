package io.domainmix.core.stats;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsStatistics;

/**
 * The running statistics of one domain that need no model (ALGORITHMS.md §2–3): its exact
 * example count and, for FGLS, the exact sufficient statistics (the O(d²) work per example,
 * which the job spreads over parallel subtasks keyed by domain). The model-dependent
 * statistics (the prequential loss for ERMA, ‖∇ℓ‖² for VA) are the trainer's: it sees every
 * arrival in order and scores it before training on it, so their staleness is bounded
 * (see {@link io.domainmix.core.train.Trainer#onExample}).
 *
 * <p>Public fields and a no-argument constructor: this object is the keyed state of the
 * statistics operator as is.
 */
public final class DomainStatistics {
    public long count;
    public long skippedNonFinite;
    public FglsStatistics fgls;

    public DomainStatistics() {}

    /** @param withFgls keep FGLS sufficient statistics (linear regression only) */
    public static DomainStatistics create(int dimension, boolean intercept, boolean withFgls) {
        DomainStatistics s = new DomainStatistics();
        if (withFgls) {
            s.fgls = new FglsStatistics(dimension, intercept);
        }
        return s;
    }

    /**
     * Adds one example.
     *
     * @return false when the example's squared size w·‖x‖² or w·y² overflows (it is then counted
     *     and kept out of the sufficient statistics, and should be kept away from the model)
     */
    public boolean observe(Example e) {
        count++;
        if (!squaredSizeIsFinite(e)) {
            skippedNonFinite++;
            return false;
        }
        if (fgls != null) {
            fgls.add(e.x, e.y, e.weight);
        }
        return true;
    }

    /**
     * Whether the example's squared size w·‖x‖² and w·y² are finite: an example that fails is
     * counted here and must reach neither the sufficient statistics nor the model.
     */
    public static boolean squaredSizeIsFinite(Example e) {
        double x2 = 0;
        for (double v : e.x) {
            x2 += v * v;
        }
        return Double.isFinite(e.weight * x2) && Double.isFinite(e.weight * e.y * e.y);
    }

    /** A summary for the trainer; the FGLS statistics are copied, so later updates do not leak into it. */
    public DomainStats summary(String domain) {
        DomainStats s = new DomainStats();
        s.domain = domain;
        s.count = count;
        s.skippedNonFinite = skippedNonFinite;
        s.fgls = fgls == null ? null : fgls.copy();
        return s;
    }
}
