package io.domainmix.core.synth;

import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.Mlp;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.rng.SplitMix64;

/**
 * The parameters that generate the labels of a synthetic experiment: θ* for the linear and
 * logistic families ({@code θ* ~ N(0, I/d)}, so ‖θ*‖ ≈ 1), or a random teacher MLP. Public
 * fields so that it can be written as JSON (the truth file and topic).
 */
public final class GroundTruth {
    public String kind;
    public int dimension;
    public int hidden;
    public String activation;
    public double[] theta;

    public GroundTruth() {}

    public GroundTruth(ModelType kind, int dimension, int hidden, Activation activation, double[] theta) {
        this.kind = kind.optionName();
        this.dimension = dimension;
        this.hidden = hidden;
        this.activation = activation == null ? null : activation.optionName();
        this.theta = theta;
    }

    public ModelType modelType() {
        return ModelType.parse(kind);
    }

    public static GroundTruth draw(ModelType kind, int dimension, int hidden, long seed) {
        SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, "ground-truth"));
        if (kind == ModelType.MLP) {
            Mlp teacher = new Mlp(dimension, hidden, Activation.TANH, LabelKind.REAL);
            // a teacher a little larger than the student's init, so that the function is non-trivial
            double[] theta = teacher.initialParameters(rng.nextLong());
            for (int i = 0; i < theta.length; i++) {
                theta[i] *= 2.0;
            }
            return new GroundTruth(kind, dimension, hidden, Activation.TANH, theta);
        }
        double[] theta = new double[dimension];
        double scale = 1.0 / Math.sqrt(dimension);
        for (int i = 0; i < dimension; i++) {
            theta[i] = scale * rng.nextGaussian();
        }
        return new GroundTruth(kind, dimension, 0, null, theta);
    }

    /** The noise-free target: θ*ᵀx, or the teacher's output (a logit for binary labels). */
    public TargetFunction target() {
        if (modelType() == ModelType.MLP) {
            Mlp teacher = new Mlp(dimension, hidden, Activation.parse(activation), LabelKind.REAL);
            return x -> teacher.output(theta, x);
        }
        return x -> {
            double f = 0;
            for (int i = 0; i < dimension; i++) {
                f += theta[i] * x[i];
            }
            return f;
        };
    }

    /** The noise-free target as a function of the features. Not thread-safe for the MLP. */
    @FunctionalInterface
    public interface TargetFunction {
        double at(double[] x);
    }
}
