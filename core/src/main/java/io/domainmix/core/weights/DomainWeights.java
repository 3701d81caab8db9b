package io.domainmix.core.weights;

/**
 * The weights in force for K domains (index-aligned with the domain list): arrival share π,
 * loss weight λ (Σ π λ = 1), sampling probability p (Σ p = 1) and slot importance weight w.
 */
public final class DomainWeights {
    public final double[] share;
    public final double[] lossWeight;
    public final double[] samplingProbability;
    public final double[] importanceWeight;

    public DomainWeights(double[] share, double[] lossWeight, double[] samplingProbability, double[] importanceWeight) {
        this.share = share;
        this.lossWeight = lossWeight;
        this.samplingProbability = samplingProbability;
        this.importanceWeight = importanceWeight;
    }

    public int size() {
        return share.length;
    }
}
