package io.domainmix.core.weights.rules;

import java.util.Map;

/** What the two static policies share: weights given per domain by name. */
final class GivenWeights {
    private GivenWeights() {}

    /** Each domain's given weight, NaN (to be filled with the mean of the given ones) where it has none. */
    static void fill(Map<String, Double> given, String[] domains, double[] raw) {
        for (int i = 0; i < raw.length; i++) {
            Double v = given.get(domains[i]);
            raw[i] = v == null ? Double.NaN : v;
        }
    }

    static void requireSome(Map<String, Double> given, String policy) {
        if (given.isEmpty()) {
            throw new IllegalArgumentException("the static " + policy + " policy needs weights (domain=value,...)");
        }
    }
}
