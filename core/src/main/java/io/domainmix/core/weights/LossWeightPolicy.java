package io.domainmix.core.weights;

/**
 * The name of a loss-weight policy λ (ALGORITHMS.md §2): what the objective counts. A handle on a
 * {@link LossWeightRule} of the {@link PolicyRegistry}; the built-in ones have constants.
 */
public final class LossWeightPolicy extends PolicyName<LossWeightRule> {
    private static final long serialVersionUID = 1L;

    /** λ = 1: plain ERM on the mixture (OLS for linear regression). */
    public static final LossWeightPolicy UNIFORM = new LossWeightPolicy("uniform");
    /** User-given λ per domain. */
    public static final LossWeightPolicy STATIC = new LossWeightPolicy("static");
    /** One-shot FGLS: λ ∝ 1/σ̂², σ̂² from the OLS residuals (linear regression only). */
    public static final LossWeightPolicy FGLS = new LossWeightPolicy("fgls");
    /** ERMA: λ ∝ 1 / (running mean of the prequential loss); any model. */
    public static final LossWeightPolicy ERMA = new LossWeightPolicy("erma");

    private LossWeightPolicy(String name) {
        super(name);
    }

    @Override
    LossWeightRule lookUp(String name) {
        return PolicyRegistry.lossRule(name);
    }

    /** The policy of that name; throws, listing the registered names, when there is none. */
    public static LossWeightPolicy parse(String s) {
        String name = PolicyRegistry.lossRule(s).name();
        for (LossWeightPolicy p : new LossWeightPolicy[] {UNIFORM, STATIC, FGLS, ERMA}) {
            if (p.optionName().equals(name)) {
                return p;
            }
        }
        return new LossWeightPolicy(name);
    }

    public static String allowed() {
        return PolicyRegistry.lossNames(", ");
    }

    private Object readResolve() {
        return parse(optionName());
    }
}
