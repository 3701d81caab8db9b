package io.domainmix.core.train;

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
        return OptionEnums.optionName(this);
    }

    @Override
    public String toString() {
        return optionName();
    }

    public static SlotDraws parse(String s) {
        return OptionEnums.parse(SlotDraws.class, s, "slot draws");
    }

    public static String allowed() {
        return OptionEnums.allowed(SlotDraws.class);
    }
}
