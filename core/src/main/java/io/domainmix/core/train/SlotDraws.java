package io.domainmix.core.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a step of B slots picks its slots' domains; at B = 1 the two are the same draw. */
public enum SlotDraws {
    /**
     * ⌊B·q_k⌋ slots for domain k and the rest by systematic sampling of the remainders
     * ({@link DomainSampler#drawSlots}): every domain's expected count is B·q_k, its spread below one slot.
     */
    STRATIFIED,
    /** B independent draws of k ~ q: a domain's count is binomial. */
    INDEPENDENT;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return optionName();
    }

    public static SlotDraws parse(String s) {
        for (SlotDraws d : values()) {
            if (d.optionName().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown slot draws '" + s + "'; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(SlotDraws::optionName).collect(Collectors.joining(", "));
    }
}
