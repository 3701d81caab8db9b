package io.domainmix.core.health;

/**
 * The health detector's memory of one domain: the loss L̄ and the λ it compares against, taken
 * at the start of the current and of the previous window of the domain's arrivals, and whether
 * the domain was reported silent. Public fields, so that it sits in Flink state as is; a restored
 * trainer reports exactly what it would have reported.
 */
public final class DomainHealth {
    /** The domain's arrival count when the current window started (−1: not armed yet). */
    public long windowStart = -1;
    public double loss = Double.NaN;
    public double lossWeight = Double.NaN;
    public long step;
    public double previousLoss = Double.NaN;
    public double previousLossWeight = Double.NaN;
    public long previousStep;
    /** Reported as stopped, and not arrived since. */
    public boolean silent;

    public DomainHealth() {}
}
