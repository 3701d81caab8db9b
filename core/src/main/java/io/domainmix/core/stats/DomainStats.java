package io.domainmix.core.stats;

/**
 * A summary of one domain's model-free statistics ({@link DomainStatistics}), sent from the
 * statistics operator to the trainer on a count or time trigger. Cumulative (each summary
 * replaces the previous one).
 */
public final class DomainStats {
    public String domain;
    /** Examples of this domain accepted so far. */
    public long count;
    /** Examples left out because their squared size overflowed. */
    public long skippedNonFinite;
    /** Sufficient statistics for FGLS; null unless that policy is on. */
    public io.domainmix.core.fgls.FglsStatistics fgls;

    public DomainStats() {}

    @Override
    public String toString() {
        return "DomainStats{" + domain + ", n=" + count + (fgls != null ? ", fgls" : "") + "}";
    }
}
