package io.domainmix.core.weights;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How sampling probabilities p are set (ALGORITHMS.md §3): how often a step draws from a domain. */
public enum SamplingPolicy {
    /** p = π: what consuming the stream as it arrives gives. */
    PROPORTIONAL,
    /** p = 1/K. */
    UNIFORM,
    /** User-given p per domain. */
    STATIC,
    /** Variance-aware: p ∝ π λ √M, mixed with π by ε. */
    VA;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SamplingPolicy parse(String s) {
        for (SamplingPolicy p : values()) {
            if (p.optionName().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown sampling policy '" + s + "'; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(SamplingPolicy::optionName).collect(Collectors.joining(", "));
    }
}
