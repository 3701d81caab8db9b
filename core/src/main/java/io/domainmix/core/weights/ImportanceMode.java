package io.domainmix.core.weights;

import java.util.Locale;

/** Whether a slot's weight corrects for the sampling probability. */
public enum ImportanceMode {
    /** w = πλ/p: sampling changes only the variance of SGD, never the objective. */
    CORRECTED,
    /** w = λ: the common practice; the objective silently becomes Σ p λ E ℓ. A baseline. */
    CONFLATED;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImportanceMode parse(String s) {
        for (ImportanceMode m : values()) {
            if (m.optionName().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown importance mode '" + s + "'; allowed: corrected, conflated");
    }
}
