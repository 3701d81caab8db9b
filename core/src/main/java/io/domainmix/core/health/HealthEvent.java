package io.domainmix.core.health;

/**
 * A change in one domain that an operator of a multi-source pipeline wants to hear about: its
 * loss rose by more than the factor F, its loss weight λ moved by more than F, it stopped
 * arriving, or a new domain started. Public fields, so that it serialises as is.
 */
public final class HealthEvent {
    public static final String LOSS_UP = "loss-up";
    public static final String LOSS_WEIGHT_MOVED = "loss-weight-moved";
    public static final String STOPPED = "stopped";
    public static final String STARTED = "started";

    public String domain;
    /** One of {@link #LOSS_UP}, {@link #LOSS_WEIGHT_MOVED}, {@link #STOPPED}, {@link #STARTED}. */
    public String kind;
    /** The trainer's step and arrival count when the event was detected. */
    public long step;
    public long arrivals;
    /** The domain's own arrivals when it was detected. */
    public long domainArrivals;
    /** The value compared against (loss or λ; for {@link #STOPPED} the arrivals since the domain's last), and now. */
    public double before;
    public double after;
    /** The step at which {@link #before} was taken. */
    public long sinceStep;
    /** λ of the domain then and now. */
    public double lossWeightBefore;
    public double lossWeightAfter;
    /** One line for the log, e.g. "domain d2: loss 20.1× higher than at step 120,000; λ 1.90 → 0.10". */
    public String message;

    public HealthEvent() {}

    @Override
    public String toString() {
        return message;
    }
}
