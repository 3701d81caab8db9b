package io.domainmix.core.train;

/**
 * Everything the trainer must carry across a failure: the model and optimizer, the averaging
 * windows, the scoring copy of θ̄, the random generator, the last arrivals' domains, the weights
 * in force, and per domain a {@link DomainTrainerState} (counts, prequential scores, ring, latest
 * statistics summary). Domains are indexed in order of first appearance. Only arrays,
 * primitives, Strings and POJOs of them, so that Flink checkpoints it with its POJO serializer
 * and a restored trainer draws exactly the numbers it would have drawn.
 */
public final class TrainerState {
    public String[] domains = new String[0];

    // model and optimizer
    public double[] theta;
    public double[] velocity;
    public long step;
    public long arrivals;
    public double stepCredit;
    public long rngState;
    public long skippedUpdates;

    // Polyak–Ruppert average of the iterates since it (re)started
    public double[] average;
    /** Steps since the average (re)started; 0: the next step starts it. */
    public long averageCount;
    /** λ when the current average started (a large move of λ restarts it). */
    public double[] averageLossWeight;
    /** The mean of the iterates since the last doubling point of the step count (or the last restart). */
    public double[] windowAverage;
    public long windowAverageCount;
    /** Burn-in test ({@link BurnIn}): sums of the arrivals' loss under θ in the current and the previous doubling window. */
    public double burnInLossSum;
    public double burnInLossSquares;
    public long burnInLossCount;
    public double burnInPreviousSum;
    public double burnInPreviousSquares;
    public long burnInPreviousCount;

    /** Per domain, index-aligned with {@code domains}: counts, scores, ring cursors, the latest summary. */
    public DomainTrainerState[] domainStates = new DomainTrainerState[0];

    // the scoring copy of θ̄ and the staleness of the scores since the last metrics read-out
    /** ERMA's reference model with {@code --erma-reference uniform} (null otherwise). */
    public UniformReferenceModel uniformReference;
    public double[] scoringTheta;
    public long scoringStep;
    /** Counts of the lag (step − scoringStep) at scoring, in bins of {@code lagBinWidth} steps. */
    public long[] lagHistogram;
    public long lagBinWidth = 1;
    public long lagMax;

    // the domains of the last N arrivals, as indices into {@code domains}
    public int[] recentDomains;
    public int recentNext;
    public int recentFilled;

    // the last FGLS solve: the arrival it was at, and its closed-form estimate θ_FGLS
    public long fglsSolvedAt = -1;
    public double[] fglsTheta;

    // weights in force, index-aligned with {@code domains}: replaced as a whole by each
    // recomputation, and scanned together by every draw
    public double[] share = new double[0];
    public double[] lossWeight = new double[0];
    public double[] samplingProbability = new double[0];
    public double[] importanceWeight = new double[0];
    /** The loss-weight and sampling rules' own numbers for the run (null for rules without state). */
    public double[] lossRuleState;
    public double[] samplingRuleState;
    /** The arrival at which the weights were last recomputed, and whether a summary waits for it. */
    public long weightsAt = -1;
    public boolean weightsPending;
    /** η₀ in force (before the decay schedule) and the step size of the last step. */
    public double baseStepSize;
    public double stepSize;

    /** Domain health events reported so far. */
    public long healthEvents;

    // measured gradient noise ‖w∇ℓ‖² per slot and training loss
    public double noiseRaw;
    public long noiseCount;
    public double noiseWindowSum;
    public long noiseWindowCount;
    public double trainingLossRaw;

    public TrainerState() {}
}
