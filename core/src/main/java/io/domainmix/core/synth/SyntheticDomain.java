package io.domainmix.core.synth;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.BinaryLoss;
import io.domainmix.core.rng.SplitMix64;

/**
 * An endless, seeded stream of one domain's examples: {@code x ~ N(0, C I_d)} and
 * <ul>
 *   <li>regression: {@code y = f*(x) + offset + N(0, σ²)};</li>
 *   <li>binary: {@code y ~ Bernoulli(σ(f*(x)))}, then flipped with probability q.</li>
 * </ul>
 * The same (spec, truth, seed) gives the same examples on every run and machine.
 */
public final class SyntheticDomain {
    private final DomainSpec spec;
    private final GroundTruth.TargetFunction target;
    private final boolean binary;
    private final int dimension;
    private final double featureSd;
    private final double noiseSd;
    private final double noiseSdAfterChange;
    private final double labelOffset;
    private final SplitMix64 rng;

    public SyntheticDomain(DomainSpec spec, GroundTruth truth, boolean binaryLabels, long seed) {
        this.spec = spec;
        this.target = truth.target();
        this.binary = binaryLabels;
        this.dimension = truth.dimension;
        this.featureSd = Math.sqrt(spec.featureScale());
        this.noiseSd = Math.sqrt(spec.noiseVariance());
        this.noiseSdAfterChange = spec.hasNoiseChange() ? Math.sqrt(spec.noiseVarianceAfterChange()) : noiseSd;
        this.labelOffset = spec.labelOffset();
        this.rng = new SplitMix64(SplitMix64.derive(seed, "domain:" + spec.name()));
    }

    public DomainSpec spec() {
        return spec;
    }

    public Example next() {
        return next(false, noiseSd);
    }

    /**
     * The next example at fraction {@code f} of the stream: with the noise in force there (a
     * domain whose noise changes draws the same random numbers either side of the change; only
     * their scale differs).
     */
    public Example nextAt(double f) {
        return next(false, spec.hasNoiseChange() && f >= spec.noiseChangesAt() ? noiseSdAfterChange : noiseSd);
    }

    /** An example with a noise-free label (no additive noise, no flip): for held-out evaluation. */
    public Example nextClean() {
        return next(true, noiseSd);
    }

    private Example next(boolean clean, double noiseSd) {
        double[] x = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            x[i] = featureSd * rng.nextGaussian();
        }
        double f = target.at(x);
        double y;
        if (binary) {
            double u = rng.nextDouble();
            double flip = rng.nextDouble();
            y = u < BinaryLoss.sigmoid(f) ? 1.0 : 0.0;
            if (!clean && flip < spec.flipRate()) {
                y = 1.0 - y;
            }
        } else {
            double noise = rng.nextGaussian();
            // the offset is added last so that offset 0 keeps every earlier stream bit for bit
            y = clean ? f : f + noiseSd * noise;
            if (labelOffset != 0) {
                y += labelOffset;
            }
        }
        return new Example(spec.name(), x, y);
    }
}
