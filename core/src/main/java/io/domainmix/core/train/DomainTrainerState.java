package io.domainmix.core.train;

import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.stats.WindowedMean;

/**
 * What the trainer keeps of one domain: its arrival counts, its prequential scores, the fill
 * level and cursors of its ring, its draw counts and its latest statistics summary. One per
 * domain in {@link TrainerState#domainStates}, created in one place ({@link Trainer#domainIndex})
 * when the domain first appears, so that a new per-domain quantity is one field here and not one
 * more array to grow.
 *
 * <p>The ring itself ({@link #ring}) is transient: Flink's POJO serializer leaves transient
 * fields out, so the trainer's value state carries these few numbers per domain, and the state
 * backend keeps each ring under its own key and writes only the rings that changed (issue 16).
 * The numbers here change with every arrival or draw of the domain, the ring's bulk only with an
 * arrival; keeping them apart means a domain that is drawn but receives nothing rewrites no
 * ring.
 */
public final class DomainTrainerState {
    public long arrivalCount;
    /** Exponentially decayed arrival count (for the share π) and the arrival clock it was decayed to. */
    public double decayedCount;
    public long decayedAt;
    /** Bias-corrected EMA (raw form) of ‖x‖², for the step size. */
    public double featureRaw;

    /** Prequential scores of the arrivals: ERMA's loss under θ̄, VA's ‖∇ℓ‖² under θ. */
    public WindowedMean lossMean = new WindowedMean();
    public WindowedMean gradientMean = new WindowedMean();
    /** Arrivals whose loss or gradient was not finite: counted, never buffered. */
    public long nonFiniteCount;
    /** Of the last N arrivals (the trainer's ring of arrival domains), how many were of this domain. */
    public int recentCount;

    /** The ring's capacity (0 until the weights give the domain its share of the budget), fill level and write position. */
    public int bufferCapacity;
    public int bufferSize;
    public int bufferNext;
    /** How many of the newest examples in the ring no slot has drawn yet (fresh-first draws take the oldest of them). */
    public int bufferUnused;
    /** Where the ring's reuse cursor is, counted from the oldest buffered example. */
    public int reuseNext;
    /** Slots that drew one of this domain's examples, and of those the draws of an example never drawn before. */
    public long drawCount;
    public long freshDrawCount;

    /** The latest statistics summary: its example count and FGLS statistics (null before one carries them). */
    public long statsCount;
    public FglsStatistics fgls;
    /** σ̂² of the last FGLS solve (NaN before one). */
    public double noiseVariance = Double.NaN;

    /** The loss-weight and sampling rules' own numbers for this domain (null for rules without state). */
    public double[] lossRuleState;
    public double[] samplingRuleState;

    /** What the health detector compares this domain against. */
    public io.domainmix.core.health.DomainHealth health = new io.domainmix.core.health.DomainHealth();

    /** The newest examples, checkpointed apart from this holder (see the class comment). */
    public transient DomainBuffer ring;

    public DomainTrainerState() {}
}
