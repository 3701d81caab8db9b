package io.domainmix.core.synth;

import java.io.Serializable;

/**
 * One synthetic domain: features {@code x ~ N(0, C I_d)}, label noise σ² (regression) or a
 * label-flip probability q (binary labels), an arrival rate relative to the other domains, and a
 * label offset added to every regression label (0 unless given: real labels are rarely centred).
 */
public final class DomainSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final double featureScale;
    private final double noiseVariance;
    private final double flipRate;
    private final double relativeRate;
    private final double labelOffset;

    public DomainSpec(String name, double featureScale, double noiseVariance, double flipRate, double relativeRate) {
        this(name, featureScale, noiseVariance, flipRate, relativeRate, 0.0);
    }

    public DomainSpec(String name, double featureScale, double noiseVariance, double flipRate, double relativeRate,
                      double labelOffset) {
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
        if (!Double.isFinite(labelOffset)) {
            throw new IllegalArgumentException("label offset of domain " + name + " must be finite: " + labelOffset);
        }
        if (labelOffset != 0 && flipRate > 0) {
            throw new IllegalArgumentException("domain " + name + ": a label offset applies to regression labels, not to flipped binary ones");
        }
        this.name = name;
        this.featureScale = featureScale;
        this.noiseVariance = noiseVariance;
        this.flipRate = flipRate;
        this.relativeRate = relativeRate;
        this.labelOffset = labelOffset;
    }

    public static DomainSpec regression(String name, double featureScale, double noiseVariance) {
        return new DomainSpec(name, featureScale, noiseVariance, 0.0, 1.0);
    }

    /** A regression domain whose labels are shifted by {@code labelOffset}. */
    public static DomainSpec regression(String name, double featureScale, double noiseVariance, double labelOffset) {
        return new DomainSpec(name, featureScale, noiseVariance, 0.0, 1.0, labelOffset);
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

    /** Added to every regression label, noisy or clean. */
    public double labelOffset() {
        return labelOffset;
    }

    @Override
    public String toString() {
        return name + "(C=" + featureScale + ", σ²=" + noiseVariance + ", q=" + flipRate + ", rate=" + relativeRate
                + (labelOffset != 0 ? ", offset=" + labelOffset : "") + ")";
    }
}
