package io.domainmix.core.model;

/** Linear regression: {@code ℓ = ½ (θᵀx − y)²}, {@code ∇ℓ = (θᵀx − y) x}. */
public final class LinearRegression extends LinearFamily {
    private final ModelSpec spec;

    public LinearRegression(int dimension, boolean intercept) {
        super(dimension, intercept);
        this.spec = ModelSpec.linear(dimension, intercept);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    protected double lossOfOutput(double f, double y) {
        double r = f - y;
        return 0.5 * r * r;
    }

    @Override
    protected double lossSlope(double f, double y) {
        return f - y;
    }

    @Override
    protected double lossCurvatureBound() {
        return 1.0;
    }
}
