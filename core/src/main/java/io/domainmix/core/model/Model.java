package io.domainmix.core.model;

import io.domainmix.core.data.LabelKind;

/**
 * A differentiable model with parameters held outside it as a {@code double[]}, so that the
 * same instance evaluates any snapshot and the parameters can live in checkpointed state.
 * Implementations may keep scratch buffers: one instance per thread.
 */
public interface Model {

    ModelSpec spec();

    int parameterCount();

    /** Initial parameters: zeros for the linear families, a seeded small random init for the MLP. */
    double[] initialParameters(long seed);

    /** The model output f: the prediction for regression, the logit for binary labels. */
    double output(double[] theta, double[] x);

    /**
     * What a caller serves: the output f for real labels, the probability σ(f) that y = 1 for
     * binary labels (logistic regression, an MLP with a binary output).
     */
    default double predict(double[] theta, double[] x) {
        double f = output(theta, x);
        return spec().labelKind() == LabelKind.BINARY ? BinaryLoss.sigmoid(f) : f;
    }

    /** The per-example loss ℓ(θ; x, y). */
    double loss(double[] theta, double[] x, double y);

    /**
     * Writes ∇θ ℓ(θ; x, y) into {@code gradient} (length {@link #parameterCount()}, overwritten)
     * and returns the loss.
     */
    double lossAndGradient(double[] theta, double[] x, double y, double[] gradient);

    /**
     * A bound on the curvature of the loss along one example, given the mean squared feature
     * norm E‖x‖² of a domain: the step-size rule {@code η = c / max_k w_k·curvature_k} keeps every
     * weighted per-example step contractive. For the linear families it is
     * (loss curvature in f) × E‖∂f/∂θ‖².
     */
    double curvatureBound(double meanSquaredFeatureNorm);

    /** Mean loss of the model on a set of examples (for held-out evaluation). */
    default double meanLoss(double[] theta, double[][] xs, double[] ys) {
        double sum = 0;
        for (int i = 0; i < xs.length; i++) {
            sum += loss(theta, xs[i], ys[i]);
        }
        return xs.length == 0 ? Double.NaN : sum / xs.length;
    }
}
