package io.domainmix.core.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code domainmix simulate --json} prints: per policy, means over seeds (same data per
 * seed for every policy). Numbers that do not apply (e.g. the oracle for a logistic
 * experiment) are null.
 */
public final class SimulationReport {
    public String experiment;
    public long examples;
    public int seeds;
    public double stepsPerArrival;
    public List<String> domains = new ArrayList<>();
    public Oracle oracle = new Oracle();
    public List<PolicyResult> results = new ArrayList<>();

    /** Estimators computed from all the data at once, with the true noise (GLS) or none (OLS). */
    public static final class Oracle {
        public Double glsError;
        public Double olsError;
    }

    public static final class PolicyResult {
        public String policy;
        public String lossWeights;
        public String sampling;
        public String mode;
        /** Mean over seeds of ‖θ̄ − θ*‖ (linear and logistic). */
        public Double error;
        public Double errorSd;
        /** Mean over seeds of 1 − cos(θ̄, θ*) (linear and logistic). */
        public Double cosineDistance;
        /** Mean over domains of the loss on held-out examples with noise-free labels. */
        public Double heldOutLoss;
        /** Measured mean ‖w∇ℓ‖² per slot over the last tenth of the steps. */
        public Double gradientNoise;
        /** N(p) of ALGORITHMS.md §3 for the final weights and statistics. */
        public Double predictedGradientNoise;
        public Double predictedProportionalNoise;
        public List<Double> finalLossWeights = new ArrayList<>();
        public List<Double> finalSamplingProbs = new ArrayList<>();
        public Long steps;
        /** Mean over seeds of the fraction of arrivals some slot drew at least once. */
        public Double fractionUsed;
        /** Mean over seeds of the draws per example drawn at least once. */
        public Double meanUses;
    }

    /** The result row of a policy ({@link PolicySpec#name()}, or "fgls+closed-form"). */
    public PolicyResult result(String policy) {
        return results.stream().filter(r -> r.policy.equals(policy)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for policy " + policy));
    }
}
