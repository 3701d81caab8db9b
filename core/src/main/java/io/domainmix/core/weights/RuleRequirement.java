package io.domainmix.core.weights;

/** What a weight rule needs that not every run has; checked when a run's settings are validated. */
public enum RuleRequirement {
    /** The per-domain FGLS sufficient statistics in the statistics summaries, and the trainer's periodic FGLS solve. */
    FGLS_STATISTICS,
    /** The linear model (the rule's estimate is only defined for least squares). */
    LINEAR_MODEL
}
