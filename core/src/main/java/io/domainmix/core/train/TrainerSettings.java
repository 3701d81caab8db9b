package io.domainmix.core.train;

import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.weights.RuleRequirement;
import io.domainmix.core.weights.WeightSettings;
import java.io.Serializable;

/** Everything the trainer needs besides its state; defaults from ALGORITHMS.md §4–5. */
public final class TrainerSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_MAX_STALENESS_STEPS = 100;
    public static final long DEFAULT_BUFFER_BUDGET = 65_536;
    public static final int DEFAULT_BUFFER_FLOOR = 16;
    public static final long DEFAULT_STATS_WINDOW_MAX = 4096;
    public static final int DEFAULT_ARRIVAL_MIX_WINDOW = 500;
    public static final double DEFAULT_HEALTH_FACTOR = 4;
    public static final long DEFAULT_HEALTH_WINDOW = 10_000;
    public static final long DEFAULT_HEALTH_MIN_SILENCE = 1_000;
    /** Upper bounds that keep the staleness histogram and the arrival ring small. */
    public static final long MAX_STALENESS_LIMIT = 1_000_000;
    public static final int ARRIVAL_MIX_WINDOW_LIMIT = 1_000_000;

    public ModelSpec model;
    public WeightSettings weights = new WeightSettings();
    /** B: slots per step. */
    public int batchSize = 1;
    /** How a step's B slots pick their domains (no effect at B = 1). */
    public SlotDraws slotDraws = SlotDraws.STRATIFIED;
    /** r: steps per arrival ratio; one step of B slots per B/r arrivals. */
    public double stepsPerArrival = 1.0;
    /** R: the most examples kept for one domain. */
    public int bufferCapacity = 4096;
    /**
     * The examples kept for all domains together: each domain's ring holds about
     * budget · p_k (its sampling probability) of its newest examples, at most R and at least
     * {@link #bufferFloor} (less when many domains share the budget), so the trainer's memory
     * is this budget plus O(K) small numbers, however many domains there are.
     */
    public long bufferBudget = DEFAULT_BUFFER_BUDGET;
    /** The fewest examples a domain keeps while the budget allows it (budget / 2K when less). */
    public int bufferFloor = DEFAULT_BUFFER_FLOOR;
    /**
     * A slot that draws domain k takes k's oldest example that no slot has drawn yet, and reuses
     * the ring's examples in turn only when every buffered one has been used; false: uniformly
     * from the ring, with replacement (which at r = 1 leaves about e^{−p_k/π_k} of a domain's
     * examples unused). Either way the domain is drawn with probability p, so the importance
     * correction is the same.
     */
    public boolean freshFirst = true;
    /** η₀; NaN selects the automatic rule η = c / max_k w_k·curvature_k. */
    public double stepSize = Double.NaN;
    /** c of the automatic step-size rule. */
    public double stepSizeFactor = 0.25;
    /** τ of η_t = η₀/(1 + t/τ); infinity for a constant step. */
    public double stepDecay = Double.POSITIVE_INFINITY;
    /** Heavy-ball momentum μ (0 = plain SGD). */
    public double momentum = 0.0;
    /** Publish the Polyak–Ruppert average of every step's iterate (θ itself when false). */
    public boolean averaging = true;
    /** Restart the average at doubling points of the step count while the loss of θ still falls ({@link BurnIn}). */
    public boolean burnInRestarts = true;
    /** Half-life of the decayed arrival counts behind the shares π, in arrivals. */
    public double shareHalfLife = 20_000;
    /** Arrivals between FGLS re-solves (the one-shot refit is not per example). */
    public long fglsInterval = 10_000;
    /** β of the trainer's EMAs of ‖x‖² per domain (step-size rule), measured gradient noise and training loss. */
    public double emaBeta = 0.001;
    /**
     * S: the prequential loss of an arrival is scored under a copy of θ̄ refreshed every S steps,
     * so it is at most S − 1 steps older than the trainer (S = 1: the current θ̄ every time).
     * Refreshing costs one O(P) copy per S steps.
     */
    public long maxStalenessSteps = DEFAULT_MAX_STALENESS_STEPS;
    /** Longest window of the per-domain loss and ‖∇ℓ‖² means ({@link io.domainmix.core.stats.WindowedMean}). */
    public long statsWindowMax = DEFAULT_STATS_WINDOW_MAX;
    /** N: the arrival-mix metric compares each domain's share of the last N arrivals with its long-run share. */
    public int arrivalMixWindow = DEFAULT_ARRIVAL_MIX_WINDOW;
    /** What ERMA scores arrivals under (ignored by the other loss-weight policies); AUTO chooses by model family. */
    public ErmaReference ermaReference = ErmaReference.AUTO;
    /**
     * F of the domain health events: a domain's loss rising, or its λ moving, by more than this
     * factor within a window is reported (infinite: only stops and starts). The estimates move by
     * tens of percent at most on a steady stream, so 4 leaves a wide margin and still catches a
     * domain whose noise grows several-fold.
     */
    public double healthFactor = DEFAULT_HEALTH_FACTOR;
    /** Arrivals of a domain per health comparison window, and before the domain is watched. */
    public long healthWindow = DEFAULT_HEALTH_WINDOW;
    /** Arrivals without a domain before it counts as stopped, at the least. */
    public long healthMinSilence = DEFAULT_HEALTH_MIN_SILENCE;
    public long seed = 1;

    public TrainerSettings() {}

    public TrainerSettings(ModelSpec model, WeightSettings weights) {
        this.model = model;
        this.weights = weights;
    }

    public void validate() {
        if (model == null) {
            throw new IllegalArgumentException("a model spec is required");
        }
        weights.validate();
        if (ermaReference == null) {
            throw new IllegalArgumentException("an ERMA reference is required; allowed: " + ErmaReference.allowed());
        }
        if (slotDraws == null) {
            throw new IllegalArgumentException("slot draws are required; allowed: " + SlotDraws.allowed());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size B must be >= 1: " + batchSize);
        }
        if (!(stepsPerArrival > 0) || !Double.isFinite(stepsPerArrival)) {
            throw new IllegalArgumentException("steps per arrival r must be finite and > 0: " + stepsPerArrival);
        }
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("buffer capacity R must be >= 1: " + bufferCapacity);
        }
        if (bufferBudget < 1 || bufferFloor < 1) {
            throw new IllegalArgumentException("buffer budget and floor must be >= 1: " + bufferBudget + ", " + bufferFloor);
        }
        if (!Double.isNaN(stepSize) && !(stepSize > 0 && Double.isFinite(stepSize))) {
            throw new IllegalArgumentException("step size must be finite and > 0 (or auto): " + stepSize);
        }
        if (!(stepSizeFactor > 0 && stepSizeFactor < 2)) {
            throw new IllegalArgumentException("step-size factor c must be in (0, 2): " + stepSizeFactor);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1): " + momentum);
        }
        if (!(stepDecay > 0)) {
            throw new IllegalArgumentException("step decay τ must be > 0: " + stepDecay);
        }
        if (!(shareHalfLife > 0)) {
            throw new IllegalArgumentException("share half-life must be > 0: " + shareHalfLife);
        }
        if (maxStalenessSteps < 1 || maxStalenessSteps > MAX_STALENESS_LIMIT) {
            throw new IllegalArgumentException("max staleness S must be in [1, " + MAX_STALENESS_LIMIT + "] steps: "
                    + maxStalenessSteps);
        }
        if (statsWindowMax < 1) {
            throw new IllegalArgumentException("statistics window must be >= 1 example: " + statsWindowMax);
        }
        if (arrivalMixWindow < 1 || arrivalMixWindow > ARRIVAL_MIX_WINDOW_LIMIT) {
            throw new IllegalArgumentException("arrival-mix window N must be in [1, " + ARRIVAL_MIX_WINDOW_LIMIT + "]: "
                    + arrivalMixWindow);
        }
        if (!(healthFactor > 1)) {
            throw new IllegalArgumentException("health factor F must be > 1: " + healthFactor);
        }
        if (healthWindow < 1 || healthMinSilence < 1) {
            throw new IllegalArgumentException("health window and silence must be >= 1 arrival: " + healthWindow + ", "
                    + healthMinSilence);
        }
        for (io.domainmix.core.weights.WeightRule rule : java.util.List.of(weights.lossRule(), weights.samplingRule())) {
            if (rule.requirements().contains(RuleRequirement.LINEAR_MODEL)
                    && model.type() != io.domainmix.core.model.ModelType.LINEAR) {
                String kind = rule == weights.lossRule() ? "loss-weight" : "sampling";
                throw new IllegalArgumentException("the " + rule.name() + " " + kind + " policy needs the linear model; "
                        + "use erma for " + model.type().optionName());
            }
        }
    }

    /** Whether the trainer keeps a {@link UniformReferenceModel} for ERMA's losses. */
    public boolean uniformReferenceEnabled() {
        return ermaReference.resolve(model.type()) == ErmaReference.UNIFORM
                && weights.lossRule().requirements().contains(RuleRequirement.REFERENCE_LOSSES);
    }

    /** Whether the loss-weight rule weights by FGLS noise estimates: summaries carry FGLS statistics, the trainer solves. */
    public boolean fglsEnabled() {
        return weights.lossRule().requirements().contains(RuleRequirement.FGLS_STATISTICS);
    }
}
