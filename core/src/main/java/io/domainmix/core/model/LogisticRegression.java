package io.domainmix.core.model;

/** Logistic regression on y ∈ {0,1}: {@code ℓ = log(1 + e^f) − y f}, {@code ∇ℓ = (σ(f) − y) x}. */
public final class LogisticRegression extends LinearFamily {
    private final ModelSpec spec;

    public LogisticRegression(int dimension, boolean intercept) {
        super(dimension, intercept);
        this.spec = ModelSpec.logistic(dimension, intercept);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    protected double lossOfOutput(double f, double y) {
        return BinaryLoss.logLoss(f, y);
    }

    @Override
    protected double lossSlope(double f, double y) {
        return BinaryLoss.sigmoid(f) - y;
    }

    @Override
    protected double lossCurvatureBound() {
        return 0.25;
    }
}
