package io.domainmix.core.weights;

/**
 * The name of a sampling policy p (ALGORITHMS.md §3): how often a step draws from a domain. A
 * handle on a {@link SamplingRule} of the {@link PolicyRegistry}; the built-in ones have constants.
 */
public final class SamplingPolicy extends PolicyName<SamplingRule> {
    private static final long serialVersionUID = 1L;

    /** p = π: what consuming the stream as it arrives gives. */
    public static final SamplingPolicy PROPORTIONAL = new SamplingPolicy("proportional");
    /** p = 1/K. */
    public static final SamplingPolicy UNIFORM = new SamplingPolicy("uniform");
    /** User-given p per domain. */
    public static final SamplingPolicy STATIC = new SamplingPolicy("static");
    /** Variance-aware: p ∝ π λ √M, mixed with π by ε. */
    public static final SamplingPolicy VA = new SamplingPolicy("va");

    private SamplingPolicy(String name) {
        super(name);
    }

    @Override
    SamplingRule lookUp(String name) {
        return PolicyRegistry.samplingRule(name);
    }

    /** The policy of that name; throws, listing the registered names, when there is none. */
    public static SamplingPolicy parse(String s) {
        String name = PolicyRegistry.samplingRule(s).name();
        for (SamplingPolicy p : new SamplingPolicy[] {PROPORTIONAL, UNIFORM, STATIC, VA}) {
            if (p.optionName().equals(name)) {
                return p;
            }
        }
        return new SamplingPolicy(name);
    }

    public static String allowed() {
        return PolicyRegistry.samplingNames(", ");
    }

    private Object readResolve() {
        return parse(optionName());
    }
}
