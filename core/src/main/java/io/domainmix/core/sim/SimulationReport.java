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
        /** With a change, GLS weighs each example by the true noise in force when it arrived. */
        public Double glsError;
        public Double olsError;
        /** With a change: mean ‖θ_GLS,t − θ*‖ over the last-quarter points (GLS on the data up to t). */
        public Double lastQuarterGlsError;
    }

    /**
     * How a policy's weights of the changed domain followed the change (experiments with a
     * change point; see ALGORITHMS and the README's "Drift experiments").
     */
    public static final class Adaptation {
        /** The domain whose λ and p are followed. */
        public String domain;
        /** The stream position of the change (arrivals before it). */
        public long changeAtExample;
        public WeightAdaptation lossWeight;
        public WeightAdaptation sampling;
        /** Mean over seeds of the mean ‖θ̄_t − θ*‖ over the last-quarter points (compare oracle.lastQuarterGlsError). */
        public Double lastQuarterError;
        /** The first domain health event after the change, and the false alarms before it. */
        public HealthAfterChange healthEvent;
    }

    /** When the trainer's domain health events told of the change. */
    public static final class HealthAfterChange {
        /** Whether an event came after the change on every seed. */
        public boolean fired;
        public int firedSeeds;
        /** Mean over seeds of the changed domain's examples after the change until the first event; null unless fired. */
        public Double examples;
        /** Per seed: those examples, or null where no event came. */
        public List<Long> perSeed = new ArrayList<>();
        /** Per seed: the first event's domain and kind, e.g. "d2 loss-up". */
        public List<String> firstEvents = new ArrayList<>();
        /** Mean over seeds of the events before the change: false alarms. */
        public Double falseAlarms;
    }

    /** One weight's adaptation, over seeds. */
    public static final class WeightAdaptation {
        /** The value that knows the change: GLS λ* or VA p* (of the true post-change noise and shares). */
        public Double target;
        /** The band around the target: a fraction of it for λ, an absolute distance for p. */
        public double tolerance;
        public boolean relativeTolerance;
        /** Whether the weight adapted (entered the band and stayed, through the last quarter) on every seed. */
        public boolean adapted;
        public int adaptedSeeds;
        /** Mean over seeds of the changed domain's examples after the change until adapted; null unless adapted. */
        public Double adaptationExamples;
        /** The largest lag over seeds; null unless adapted. */
        public Long adaptationExamplesMax;
        /** Per seed: the lag, or null where the weight did not adapt. */
        public List<Long> perSeed = new ArrayList<>();
        /** Mean over seeds and the changed domain's last-quarter arrivals of |w − target| (relative for λ). */
        public Double lastQuarterError;
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
        /**
         * Mean over domains of the loss on held-out examples with noisy labels, as a user's own
         * held-out rows would be: the objective the training loss estimates (for an experiment
         * with a change point, the noise in force at its start).
         */
        public Double heldOutLossNoisy;
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
        /** Experiments with a change point only: how the weights followed it. */
        public Adaptation adaptation;
        /** Mean over seeds of the domain health events over the whole stream (on a stationary experiment: false alarms). */
        public Double healthEvents;
    }

    /** The result row of a policy ({@link PolicySpec#name()}, or "fgls+closed-form"). */
    public PolicyResult result(String policy) {
        return results.stream().filter(r -> r.policy.equals(policy)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for policy " + policy));
    }
}
