package io.domainmix.core.weights;

import java.util.Arrays;

/**
 * A sampling policy registered only in the test sources (META-INF/services of the test
 * resources): p_k ∝ K − (rank of the domain's name), so two domains get (2/3, 1/3). It shows
 * that a policy plugs in through the registry without a change to any other file.
 */
public final class AlphabeticalSampling implements SamplingRule {
    @Override
    public String name() {
        return "alphabetical";
    }

    @Override
    public String description() {
        return "p_k ∝ K − rank of the domain's name (a test policy)";
    }

    @Override
    public boolean documented() {
        return false;
    }

    @Override
    public void rawSamplingWeights(WeightInputs in, double[] lossWeight, WeightSettings settings, RuleState state,
                                   double[] raw) {
        String[] sorted = in.domains.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw.length - Arrays.binarySearch(sorted, in.domains[i]);
        }
    }
}
