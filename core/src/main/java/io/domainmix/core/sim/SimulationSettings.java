package io.domainmix.core.sim;

/** The knobs of a simulation run besides the experiment and the policies. */
public final class SimulationSettings {
    public long examples = 200_000;
    public int seeds = 5;
    public long firstSeed = 1;
    public double stepsPerArrival = 1.0;
    public int batchSize = 1;
    public io.domainmix.core.train.SlotDraws slotDraws = io.domainmix.core.train.SlotDraws.STRATIFIED;
    public int bufferCapacity = 4096;
    public long bufferBudget = io.domainmix.core.train.TrainerSettings.DEFAULT_BUFFER_BUDGET;
    /** NaN: the automatic step-size rule. */
    public double stepSize = Double.NaN;
    public double stepSizeFactor = 0.25;
    public double momentum = 0.0;
    /** The statistics of a domain are sent to the trainer every this many of its examples. */
    public long statsEvery = 1000;
    /** S: arrivals are scored under a copy of θ̄ refreshed every this many steps. */
    public long maxStalenessSteps = io.domainmix.core.train.TrainerSettings.DEFAULT_MAX_STALENESS_STEPS;
    /** Longest window of the per-domain loss and ‖∇ℓ‖² means. */
    public long statsWindowMax = io.domainmix.core.train.TrainerSettings.DEFAULT_STATS_WINDOW_MAX;
    /** The trainer's health factor F (∞ turns the loss and λ checks, and the restarts they cause, off). */
    public double healthFactor = io.domainmix.core.train.TrainerSettings.DEFAULT_HEALTH_FACTOR;
    public io.domainmix.core.train.ErmaReference ermaReference = io.domainmix.core.train.ErmaReference.AUTO;
    /** Held-out examples per domain for the held-out loss. */
    public int heldOutPerDomain = 2000;
    /**
     * Held-out examples per domain for the held-out loss on noisy labels. Every policy of a seed is
     * scored on the same rows, so differences between policies carry only the rows' paired
     * variance; at 50,000 its standard error is far below the 0.03 % those differences are
     * (BENCHMARKS.md, "Streaming efficiency"), where the noise-free loss's 2,000 rows would not do.
     */
    public int heldOutNoisyPerDomain = 50_000;
    /** The policies' own parameters by option name (e.g. {@code temperature} → {@code 3}); others keep their defaults. */
    public java.util.Map<String, String> policyParameters = new java.util.TreeMap<>();
    /** Worker threads over seeds (results do not depend on it). */
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    public void validate() {
        if (examples < 1) {
            throw new IllegalArgumentException("--examples must be >= 1: " + examples);
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1: " + seeds);
        }
        if (!(stepsPerArrival > 0)) {
            throw new IllegalArgumentException("--steps-per-arrival must be > 0: " + stepsPerArrival);
        }
        if (statsEvery < 1) {
            throw new IllegalArgumentException("statistics interval must be >= 1: " + statsEvery);
        }
    }
}
