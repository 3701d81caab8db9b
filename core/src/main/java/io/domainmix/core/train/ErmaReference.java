package io.domainmix.core.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The model ERMA scores each arrival's loss under (the loss is taken before anything trains on the arrival). */
public enum ErmaReference {
    /**
     * A reference model trained alongside with every loss weight 1 ({@link UniformReferenceModel}):
     * the losses do not depend on ERMA's own λ, as FGLS's OLS residuals do not.
     */
    UNIFORM,
    /** The published θ̄, trained with ERMA's λ (a copy at most S steps old). */
    PUBLISHED;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return optionName();
    }

    public static ErmaReference parse(String s) {
        for (ErmaReference r : values()) {
            if (r.optionName().equalsIgnoreCase(s.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown ERMA reference '" + s + "'; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(ErmaReference::optionName).collect(Collectors.joining(", "));
    }
}
