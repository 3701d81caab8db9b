package io.domainmix.core.train;

import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.weights.WeightSettings;
import java.io.Serializable;

/** Everything the trainer needs besides its state; defaults from ALGORITHMS.md §4–5. */
public final class TrainerSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public ModelSpec model;
    public WeightSettings weights = new WeightSettings();
    /** B: slots per step. */
    public int batchSize = 1;
    /** r: steps per arrival ratio; one step of B slots per B/r arrivals. */
    public double stepsPerArrival = 1.0;
    /** R: newest examples kept per domain. */
    public int bufferCapacity = 4096;
    /** η₀; NaN selects the automatic rule η = c / max_k w_k·curvature_k. */
    public double stepSize = Double.NaN;
    /** c of the automatic step-size rule. */
    public double stepSizeFactor = 0.25;
    /** τ of η_t = η₀/(1 + t/τ); infinity for a constant step. */
    public double stepDecay = Double.POSITIVE_INFINITY;
    /** Heavy-ball momentum μ (0 = plain SGD). */
    public double momentum = 0.0;
    /** Polyak–Ruppert tail averaging over doubling windows. */
    public boolean averaging = true;
    /** Half-life of the decayed arrival counts behind the shares π, in arrivals. */
    public double shareHalfLife = 20_000;
    /** Arrivals between FGLS re-solves (the one-shot refit is not per example). */
    public long fglsInterval = 10_000;
    /** β of the trainer's own EMAs (‖x‖² per domain, measured gradient noise, training loss). */
    public double emaBeta = 0.001;
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
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size B must be >= 1: " + batchSize);
        }
        if (!(stepsPerArrival > 0) || !Double.isFinite(stepsPerArrival)) {
            throw new IllegalArgumentException("steps per arrival r must be finite and > 0: " + stepsPerArrival);
        }
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("buffer capacity R must be >= 1: " + bufferCapacity);
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
        if (weights.lossPolicy == io.domainmix.core.weights.LossWeightPolicy.FGLS
                && model.type() != io.domainmix.core.model.ModelType.LINEAR) {
            throw new IllegalArgumentException("the fgls loss-weight policy needs the linear model; use erma for "
                    + model.type().optionName());
        }
    }

    public boolean fglsEnabled() {
        return weights.lossPolicy == io.domainmix.core.weights.LossWeightPolicy.FGLS;
    }
}
