package io.domainmix.core.weights;

/** What a weight rule needs that not every run has; checked when a run's settings are validated. */
public enum RuleRequirement {
    /** The per-domain FGLS sufficient statistics in the statistics summaries, and the trainer's periodic FGLS solve. */
    FGLS_STATISTICS,
    /** The linear model (the rule's estimate is only defined for least squares). */
    LINEAR_MODEL,
    /**
     * Its losses L̄_k scored under a model trained with every loss weight 1 when
     * {@code --erma-reference uniform} (the default), not under the model its own λ trains: a rule
     * whose λ follows its losses would otherwise feed back on itself on data the model does not fit.
     */
    REFERENCE_LOSSES
}
