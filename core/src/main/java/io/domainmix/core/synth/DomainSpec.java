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
    /** Fractions of the stream: the domain arrives in [startsAt, stopsAt). */
    private double startsAt = 0.0;
    private double stopsAt = 1.0;
    /** From this fraction of the stream on, the label noise has variance {@link #noiseVarianceAfterChange}; NaN: never. */
    private double noiseChangesAt = Double.NaN;
    private double noiseVarianceAfterChange = Double.NaN;

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

    /**
     * This domain arriving only in {@code [startsAt, stopsAt)} of the stream (fractions of its
     * length): it appears at {@code startsAt} and vanishes at {@code stopsAt}.
     */
    public DomainSpec activeBetween(double startsAt, double stopsAt) {
        if (!(startsAt >= 0 && startsAt < stopsAt && stopsAt <= 1)) {
            throw new IllegalArgumentException("domain " + name + ": need 0 <= start < stop <= 1 (fractions of the stream): "
                    + startsAt + ", " + stopsAt);
        }
        DomainSpec d = copy();
        d.startsAt = startsAt;
        d.stopsAt = stopsAt;
        return d;
    }

    /** This domain with its label-noise variance becoming {@code variance} at fraction {@code at} of the stream. */
    public DomainSpec withNoiseChange(double at, double variance) {
        if (!(at > 0 && at < 1)) {
            throw new IllegalArgumentException("domain " + name + ": a noise change must lie inside the stream (0 < at < 1): " + at);
        }
        if (!(variance >= 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("domain " + name + ": noise variance after the change must be >= 0: " + variance);
        }
        if (flipRate > 0) {
            throw new IllegalArgumentException("domain " + name + ": a noise change applies to regression labels");
        }
        DomainSpec d = copy();
        d.noiseChangesAt = at;
        d.noiseVarianceAfterChange = variance;
        return d;
    }

    /** The same domain with the change points of {@code other} (start, stop, noise change). */
    public DomainSpec withChangesOf(DomainSpec other) {
        DomainSpec d = copy();
        d.startsAt = other.startsAt;
        d.stopsAt = other.stopsAt;
        if (other.hasNoiseChange()) {
            d = d.withNoiseChange(other.noiseChangesAt, other.noiseVarianceAfterChange);
        }
        return d;
    }

    private DomainSpec copy() {
        DomainSpec d = new DomainSpec(name, featureScale, noiseVariance, flipRate, relativeRate, labelOffset);
        d.startsAt = startsAt;
        d.stopsAt = stopsAt;
        d.noiseChangesAt = noiseChangesAt;
        d.noiseVarianceAfterChange = noiseVarianceAfterChange;
        return d;
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

    /** The fraction of the stream at which this domain starts arriving (0: from the start). */
    public double startsAt() {
        return startsAt;
    }

    /** The fraction of the stream at which this domain stops arriving (1: never). */
    public double stopsAt() {
        return stopsAt;
    }

    public boolean hasNoiseChange() {
        return !Double.isNaN(noiseChangesAt);
    }

    /** The fraction of the stream at which the noise variance changes; NaN when it never does. */
    public double noiseChangesAt() {
        return noiseChangesAt;
    }

    /** σ² from {@link #noiseChangesAt()} on; NaN when the noise never changes. */
    public double noiseVarianceAfterChange() {
        return noiseVarianceAfterChange;
    }

    /** Whether anything about this domain changes within the stream. */
    public boolean changes() {
        return startsAt > 0 || stopsAt < 1 || hasNoiseChange();
    }

    /** Whether the domain arrives at fraction {@code f} of the stream. */
    public boolean activeAt(double f) {
        return f >= startsAt && f < stopsAt;
    }

    /** σ² at fraction {@code f} of the stream. */
    public double noiseVarianceAt(double f) {
        return hasNoiseChange() && f >= noiseChangesAt ? noiseVarianceAfterChange : noiseVariance;
    }

    @Override
    public String toString() {
        return name + "(C=" + featureScale + ", σ²=" + noiseVariance + ", q=" + flipRate + ", rate=" + relativeRate
                + (labelOffset != 0 ? ", offset=" + labelOffset : "")
                + (startsAt > 0 ? ", from " + startsAt : "") + (stopsAt < 1 ? ", until " + stopsAt : "")
                + (hasNoiseChange() ? ", σ²=" + noiseVarianceAfterChange + " from " + noiseChangesAt : "") + ")";
    }
}
