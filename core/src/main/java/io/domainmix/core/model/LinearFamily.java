package io.domainmix.core.model;

/**
 * The shared part of linear and logistic regression: {@code f = wᵀx (+ b)} with parameters
 * {@code [w_1..w_d (, b)]}, and {@code ∇ℓ = ℓ'(f) · [x (, 1)]}.
 */
abstract class LinearFamily implements Model {
    protected final int dimension;
    protected final boolean intercept;

    LinearFamily(int dimension, boolean intercept) {
        this.dimension = dimension;
        this.intercept = intercept;
    }

    @Override
    public int parameterCount() {
        return intercept ? dimension + 1 : dimension;
    }

    @Override
    public double[] initialParameters(long seed) {
        return new double[parameterCount()];
    }

    @Override
    public double output(double[] theta, double[] x) {
        double f = intercept ? theta[dimension] : 0.0;
        for (int i = 0; i < dimension; i++) {
            f += theta[i] * x[i];
        }
        return f;
    }

    /** The loss as a function of the output f. */
    protected abstract double lossOfOutput(double f, double y);

    /** dℓ/df. */
    protected abstract double lossSlope(double f, double y);

    /** A bound on d²ℓ/df². */
    protected abstract double lossCurvatureBound();

    @Override
    public double loss(double[] theta, double[] x, double y) {
        return lossOfOutput(output(theta, x), y);
    }

    @Override
    public double lossAndGradient(double[] theta, double[] x, double y, double[] gradient) {
        double f = output(theta, x);
        double r = lossSlope(f, y);
        for (int i = 0; i < dimension; i++) {
            gradient[i] = r * x[i];
        }
        if (intercept) {
            gradient[dimension] = r;
        }
        return lossOfOutput(f, y);
    }

    @Override
    public double curvatureBound(double meanSquaredFeatureNorm) {
        return lossCurvatureBound() * (meanSquaredFeatureNorm + (intercept ? 1.0 : 0.0));
    }
}
