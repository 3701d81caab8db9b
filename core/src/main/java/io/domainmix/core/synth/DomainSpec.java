package io.domainmix.core.synth;

import java.io.Serializable;

/**
 * One synthetic domain: features {@code x ~ N(0, C I_d)}, label noise σ² (regression) or a
 * label-flip probability q (binary labels), and an arrival rate relative to the other domains.
 */
public final class DomainSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final double featureScale;
    private final double noiseVariance;
    private final double flipRate;
    private final double relativeRate;

    public DomainSpec(String name, double featureScale, double noiseVariance, double flipRate, double relativeRate) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a domain needs a name");
        }
        if (!(featureScale > 0)) {
            throw new IllegalArgumentException("feature scale C of domain " + name + " must be > 0: " + featureScale);
        }
        if (!(noiseVariance >= 0)) {
            throw new IllegalArgumentException("noise variance of domain " + name + " must be >= 0: " + noiseVariance);
        }
        if (!(flipRate >= 0 && flipRate <= 0.5)) {
            throw new IllegalArgumentException("label-flip rate of domain " + name + " must be in [0, 0.5]: " + flipRate);
        }
        if (!(relativeRate > 0)) {
            throw new IllegalArgumentException("relative rate of domain " + name + " must be > 0: " + relativeRate);
        }
        this.name = name;
        this.featureScale = featureScale;
        this.noiseVariance = noiseVariance;
        this.flipRate = flipRate;
        this.relativeRate = relativeRate;
    }

    public static DomainSpec regression(String name, double featureScale, double noiseVariance) {
        return new DomainSpec(name, featureScale, noiseVariance, 0.0, 1.0);
    }

    public static DomainSpec classification(String name, double featureScale, double flipRate) {
        return new DomainSpec(name, featureScale, 0.0, flipRate, 1.0);
    }

    public String name() {
        return name;
    }

    /** C: the variance of every feature. */
    public double featureScale() {
        return featureScale;
    }

    /** σ²: the variance of the additive label noise (regression). */
    public double noiseVariance() {
        return noiseVariance;
    }

    /** q: the probability that a binary label is flipped. */
    public double flipRate() {
        return flipRate;
    }

    public double relativeRate() {
        return relativeRate;
    }

    @Override
    public String toString() {
        return name + "(C=" + featureScale + ", σ²=" + noiseVariance + ", q=" + flipRate + ", rate=" + relativeRate + ")";
    }
}
