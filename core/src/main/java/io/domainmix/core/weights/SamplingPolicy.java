package io.domainmix.core.weights;

import java.io.Serializable;

/**
 * The name of a sampling policy p (ALGORITHMS.md §3): how often a step draws from a domain. A
 * handle on a {@link SamplingRule} of the {@link PolicyRegistry}; the built-in ones have constants.
 */
public final class SamplingPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** p = π: what consuming the stream as it arrives gives. */
    public static final SamplingPolicy PROPORTIONAL = new SamplingPolicy("proportional");
    /** p = 1/K. */
    public static final SamplingPolicy UNIFORM = new SamplingPolicy("uniform");
    /** User-given p per domain. */
    public static final SamplingPolicy STATIC = new SamplingPolicy("static");
    /** Variance-aware: p ∝ π λ √M, mixed with π by ε. */
    public static final SamplingPolicy VA = new SamplingPolicy("va");

    private final String name;
    private transient SamplingRule rule;

    private SamplingPolicy(String name) {
        this.name = name;
    }

    /** The policy of that name; throws, listing the registered names, when there is none. */
    public static SamplingPolicy parse(String s) {
        String name = PolicyRegistry.samplingRule(s).name();
        for (SamplingPolicy p : new SamplingPolicy[] {PROPORTIONAL, UNIFORM, STATIC, VA}) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return new SamplingPolicy(name);
    }

    public static String allowed() {
        return PolicyRegistry.samplingNames(", ");
    }

    public String optionName() {
        return name;
    }

    public SamplingRule rule() {
        SamplingRule r = rule;
        if (r == null) {
            r = PolicyRegistry.samplingRule(name);
            rule = r;
        }
        return r;
    }

    private Object readResolve() {
        return parse(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingPolicy && ((SamplingPolicy) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
