package io.domainmix.job;

/**
 * One metrics record of a run (DESIGN.md "Metrics record"): arrays indexed like {@link #domains}.
 * Gradient noise is the per-slot second moment ‖w∇ℓ‖²: measured (mean over the interval), and
 * predicted for the weights in force, for proportional sampling, and for pure VA sampling.
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
    public double[] lossEma;
    public double[] gradientSecondMoment;
    public double[] lossWeight;
    public double[] samplingProbability;
    public double noiseMeasured;
    public double noiseMeasuredEma;
    public double noisePredicted;
    public double noiseProportional;
    public double noiseVarianceAware;
    public double trainingLoss;
    public double stepSize;
    public long skippedUpdates;

    public MetricsRecord() {}
}
