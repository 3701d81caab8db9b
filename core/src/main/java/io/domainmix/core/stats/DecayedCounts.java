package io.domainmix.core.stats;

/**
 * Exponentially decayed arrival counts on a global arrival clock: after every arrival each
 * domain's count is multiplied by {@code γ = 2^(−1/halfLife)} and the arriving domain's count gains
 * one. The share {@code π_k = c_k / Σ_j c_j} then follows the recent arrival mix, so a new
 * domain gains share and a vanished one loses it. Decay is applied lazily (each count remembers
 * the clock of its last update), so an arrival costs O(1) and reading all shares O(K).
 */
public final class DecayedCounts {
    private DecayedCounts() {}

    public static double decayFactor(double halfLife) {
        return Math.pow(2.0, -1.0 / halfLife);
    }

    /** The count decayed from {@code since} to {@code now}. */
    public static double decayed(double count, long since, long now, double gamma) {
        return count * Math.pow(gamma, now - since);
    }
}
