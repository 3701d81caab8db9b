package io.domainmix.core.stats;

/**
 * A summary of one domain's running statistics, sent from the statistics operator to the
 * trainer on a count or time trigger. Cumulative (each summary replaces the previous one).
 */
public final class DomainStats {
    public String domain;
    /** Examples of this domain accepted so far. */
    public long count;
    /** Examples whose loss and gradient were finite and entered the averages. */
    public long evaluated;
    /** Bias-corrected EMA of the prequential loss under the published (averaged) model. */
    public double lossEma;
    /** Bias-corrected EMA of ‖∇ℓ‖² at the current iterate: M_k of the VA policy. */
    public double gradientSecondMoment;
    /** Examples whose loss or gradient was not finite (skipped). */
    public long skippedNonFinite;
    /** Sufficient statistics for FGLS; null unless that policy is on. */
    public io.domainmix.core.fgls.FglsStatistics fgls;

    public DomainStats() {}

    @Override
    public String toString() {
        return "DomainStats{" + domain + ", n=" + count + ", loss=" + lossEma + ", M=" + gradientSecondMoment
                + (fgls != null ? ", fgls" : "") + "}";
    }
}
