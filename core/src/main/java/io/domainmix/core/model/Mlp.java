package io.domainmix.core.model;

import io.domainmix.core.data.LabelKind;
import io.domainmix.core.rng.SplitMix64;

/**
 * A one-hidden-layer perceptron: {@code f = w2ᵀ act(W1 x + b1) + b2}, with a linear output and
 * squared loss for real labels, or a logit output and logistic loss for binary labels.
 *
 * <p>Parameter layout: {@code W1} row-major (h × d), then {@code b1} (h), {@code w2} (h), {@code b2}.
 * Gradients by backpropagation: with {@code r = dℓ/df}, {@code ∂/∂w2_j = r a_j},
 * {@code ∂/∂b2 = r}, {@code δ_j = r w2_j act'(z_j)}, {@code ∂/∂W1_jk = δ_j x_k}, {@code ∂/∂b1_j = δ_j}.
 *
 * <p>Holds scratch buffers for the hidden layer: not thread-safe, one instance per thread.
 */
public final class Mlp implements Model {
    private final int d;
    private final int h;
    private final Activation activation;
    private final LabelKind output;
    private final ModelSpec spec;
    private final double[] z;
    private final double[] a;

    public Mlp(int dimension, int hidden, Activation activation, LabelKind output) {
        this.d = dimension;
        this.h = hidden;
        this.activation = activation;
        this.output = output;
        this.spec = ModelSpec.mlp(dimension, hidden, activation, output);
        this.z = new double[hidden];
        this.a = new double[hidden];
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public int parameterCount() {
        return h * d + h + h + 1;
    }

    private int b1Offset() {
        return h * d;
    }

    private int w2Offset() {
        return h * d + h;
    }

    private int b2Offset() {
        return h * d + 2 * h;
    }

    /** Glorot-style scale: W1 ~ N(0, 1/d), w2 ~ N(0, 1/h), biases zero. */
    @Override
    public double[] initialParameters(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double[] theta = new double[parameterCount()];
        double s1 = 1.0 / Math.sqrt(d);
        for (int i = 0; i < h * d; i++) {
            theta[i] = s1 * rng.nextGaussian();
        }
        double s2 = 1.0 / Math.sqrt(h);
        for (int j = 0; j < h; j++) {
            theta[w2Offset() + j] = s2 * rng.nextGaussian();
        }
        return theta;
    }

    private double forward(double[] theta, double[] x) {
        int b1 = b1Offset();
        int w2 = w2Offset();
        double f = theta[b2Offset()];
        for (int j = 0; j < h; j++) {
            double s = theta[b1 + j];
            int row = j * d;
            for (int k = 0; k < d; k++) {
                s += theta[row + k] * x[k];
            }
            z[j] = s;
            a[j] = activation.apply(s);
            f += theta[w2 + j] * a[j];
        }
        return f;
    }

    @Override
    public double output(double[] theta, double[] x) {
        return forward(theta, x);
    }

    private double lossOfOutput(double f, double y) {
        if (output == LabelKind.BINARY) {
            return BinaryLoss.logLoss(f, y);
        }
        double r = f - y;
        return 0.5 * r * r;
    }

    @Override
    public double loss(double[] theta, double[] x, double y) {
        return lossOfOutput(forward(theta, x), y);
    }

    @Override
    public double lossAndGradient(double[] theta, double[] x, double y, double[] gradient) {
        double f = forward(theta, x);
        double r = output == LabelKind.BINARY ? BinaryLoss.sigmoid(f) - y : f - y;
        int b1 = b1Offset();
        int w2 = w2Offset();
        for (int j = 0; j < h; j++) {
            gradient[w2 + j] = r * a[j];
            double delta = r * theta[w2 + j] * activation.derivativeFromOutput(a[j], z[j]);
            gradient[b1 + j] = delta;
            int row = j * d;
            for (int k = 0; k < d; k++) {
                gradient[row + k] = delta * x[k];
            }
        }
        gradient[b2Offset()] = r;
        return lossOfOutput(f, y);
    }

    /**
     * E‖∂f/∂θ‖² at a typical point: the output layer sees ‖a‖² + 1 ≤ h + 1 (tanh), the hidden
     * layer Σ_j w2_j² act'² (‖x‖² + 1) with ‖w2‖² about one at our init scale.
     */
    @Override
    public double curvatureBound(double meanSquaredFeatureNorm) {
        double lossCurvature = output == LabelKind.BINARY ? 0.25 : 1.0;
        return lossCurvature * (h + 1 + meanSquaredFeatureNorm + 1);
    }
}
