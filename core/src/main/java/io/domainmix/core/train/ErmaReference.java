package io.domainmix.core.train;

import io.domainmix.core.model.ModelType;

/** The model ERMA scores each arrival's loss under (the loss is taken before anything trains on the arrival). */
public enum ErmaReference {
    /**
     * A reference model trained alongside with every loss weight 1 ({@link UniformReferenceModel}):
     * the losses do not depend on ERMA's own λ, as FGLS's OLS residuals do not.
     */
    UNIFORM,
    /** The published θ̄, trained with ERMA's λ (a copy at most S steps old). */
    PUBLISHED,
    /**
     * By model family ({@link #resolve}): {@link #UNIFORM} for the linear model, where the feedback
     * of λ into its own losses spread λ far beyond the offline FGLS ratio on real data;
     * {@link #PUBLISHED} for the logistic model and the MLP, whose held-out loss it lowers on every
     * synthetic experiment (README, "Design choices").
     */
    AUTO;

    /** The reference a trainer of this model family uses: AUTO resolved, the others as they are. */
    public ErmaReference resolve(ModelType type) {
        if (this != AUTO) {
            return this;
        }
        return type == ModelType.LINEAR ? UNIFORM : PUBLISHED;
    }

    public String optionName() {
        return OptionEnums.optionName(this);
    }

    @Override
    public String toString() {
        return optionName();
    }

    public static ErmaReference parse(String s) {
        return OptionEnums.parse(ErmaReference.class, s, "ERMA reference");
    }

    public static String allowed() {
        return OptionEnums.allowed(ErmaReference.class);
    }
}
