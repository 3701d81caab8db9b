package io.domainmix.job.score;

import java.util.Locale;

/** What the scoring job does with requests that arrive before it has read a first snapshot. */
public enum StartupPolicy {
    /** Hold them (in checkpointed state, up to a bound) and score them with the first snapshot. */
    WAIT,
    /** Send them to the dead-letter topic with reason {@code NO_MODEL}. */
    REJECT;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StartupPolicy parse(String s) {
        for (StartupPolicy p : values()) {
            if (p.optionName().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("allowed: wait, reject");
    }
}
