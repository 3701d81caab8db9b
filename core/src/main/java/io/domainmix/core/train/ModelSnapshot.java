package io.domainmix.core.train;

/**
 * A published, versioned model: what the serving side and the statistics operator read.
 * Carries the current iterate θ, the averaged θ̄ (the model to serve), the weights in force
 * per domain and, with the FGLS policy, the closed-form FGLS estimate.
 */
public final class ModelSnapshot {
    public String runId;
    public long version;
    public long step;
    public long examplesSeen;
    public String modelType;
    public int dimension;
    public int hidden;
    public String activation;
    public boolean intercept;
    /** The labels the model was trained on, {@code real} or {@code binary}: an MLP's output kind. */
    public String labels;
    public double[] theta;
    public double[] averagedTheta;
    public double[] fglsTheta;
    public String[] domains;
    public double[] share;
    public double[] lossWeight;
    public double[] samplingProbability;
    public double stepSize;
    public long timestamp;

    public ModelSnapshot() {}
}
