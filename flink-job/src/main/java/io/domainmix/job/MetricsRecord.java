package io.domainmix.job;

/**
 * One metrics record of a run (DESIGN.md "Metrics record"): arrays indexed like {@link #domains}.
 * Gradient noise is the per-slot second moment ‖w∇ℓ‖²: measured (mean over the interval), and
 * predicted for the weights in force, for proportional sampling, and for pure VA sampling.
 * The staleness of the prequential scores is the lag, in steps, between the trainer and the copy
 * of θ̄ an arrival was scored under, over the arrivals since the previous record.
 */
public final class MetricsRecord {
    public String runId;
    public long step;
    public long examplesSeen;
    public long timestamp;
    public boolean last;
    public String[] domains;
    /** Examples of each domain the trainer received. */
    public long[] arrivals;
    /** Examples of each domain in the latest statistics summary. */
    public long[] statsCount;
    public double[] share;
    /** Each domain's share of the last N arrivals, and of all arrivals: the arrival mix. */
    public double[] recentShare;
    public double[] longRunShare;
    /** Arrivals whose loss or gradient was not finite (counted, kept away from the model). */
    public long[] nonFinite;
    /** L̄_k: the windowed mean of the prequential loss under θ̄ (ERMA's input). */
    public double[] loss;
    /** M_k: the windowed mean of w²‖∇ℓ‖² at the iterate θ (VA's input). */
    public double[] gradientSecondMoment;
    public double[] lossWeight;
    public double[] samplingProbability;
    /** Slots of SGD steps that drew each domain, since the run began: what p_k is held to. */
    public long[] slots;
    public double noiseMeasured;
    public double noiseMeasuredEma;
    public double noisePredicted;
    public double noiseProportional;
    public double noiseVarianceAware;
    public double trainingLoss;
    public double stepSize;
    public long skippedUpdates;
    public double stalenessP50;
    public double stalenessP95;
    public long stalenessMax;
    /** Effective sample use: the fraction of buffered arrivals drawn at least once, and their mean draws. */
    public double fractionUsed;
    public double meanUses;
    /**
     * Domain health events since the previous record: a record is published as soon as there are
     * any (beside the periodic ones), so an event reaches the topic with the element that raised it.
     */
    public io.domainmix.core.health.HealthEvent[] healthEvents = new io.domainmix.core.health.HealthEvent[0];

    public MetricsRecord() {}
}
