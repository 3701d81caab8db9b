package io.domainmix.core.serve;

import java.util.Locale;

/** Which parameters of a snapshot are served. */
public enum ModelSource {
    /** The tail-averaged iterate θ̄: what SGD converges to with the least noise. */
    AVERAGED,
    /** The closed-form FGLS estimate, present in snapshots of runs with {@code --loss-weights fgls}. */
    FGLS;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelSource parse(String s) {
        for (ModelSource m : values()) {
            if (m.optionName().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model source '" + s + "'; allowed: averaged, fgls");
    }
}
