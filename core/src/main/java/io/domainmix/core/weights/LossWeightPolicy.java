package io.domainmix.core.weights;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How loss weights λ are set (ALGORITHMS.md §2): what the objective counts. */
public enum LossWeightPolicy {
    /** λ = 1: plain ERM on the mixture (OLS for linear regression). */
    UNIFORM,
    /** User-given λ per domain. */
    STATIC,
    /** One-shot FGLS: λ ∝ 1/σ̂², σ̂² from the OLS residuals (linear regression only). */
    FGLS,
    /** ERMA: λ ∝ 1 / (running mean of the prequential loss); any model. */
    ERMA;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LossWeightPolicy parse(String s) {
        for (LossWeightPolicy p : values()) {
            if (p.optionName().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown loss-weight policy '" + s + "'; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(LossWeightPolicy::optionName).collect(Collectors.joining(", "));
    }
}
