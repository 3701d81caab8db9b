package io.domainmix.core.train;

import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.stats.WindowedMean;

/**
 * Everything the trainer must carry across a failure: the model and optimizer, the averaging
 * windows, the per-domain buffers and prequential scores, the scoring copy of θ̄, the random
 * generator, the arrival counts and the last arrivals' domains, the latest statistics summary per
 * domain and the weights in force. Arrays indexed by domain (in order of first
 * appearance), and only arrays, primitives and Strings, so that Flink checkpoints it with its
 * POJO serializer and a restored trainer draws exactly the numbers it would have drawn.
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

    // per domain: arrivals
    public long[] arrivalCount = new long[0];
    public double[] decayedCount = new double[0];
    public long[] decayedAt = new long[0];
    public double[] featureRaw = new double[0];

    // per domain: prequential scores of the arrivals (ERMA's loss under θ̄, VA's ‖∇ℓ‖² under θ)
    public WindowedMean[] lossMean = new WindowedMean[0];
    public WindowedMean[] gradientMean = new WindowedMean[0];
    /** Arrivals whose loss or gradient was not finite: counted, never buffered. */
    public long[] nonFiniteCount = new long[0];
    /** Of the last N arrivals (the ring below), how many were of each domain. */
    public int[] recentCount = new int[0];

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

    // per domain: ring buffers of the newest examples, bufferCapacity[k] of them (a share of the budget)
    public int[] bufferCapacity = new int[0];
    public DomainBuffer[] buffers = new DomainBuffer[0];
    public int[] bufferSize = new int[0];
    public int[] bufferNext = new int[0];
    /** How many of the newest examples in each ring no slot has drawn yet (fresh-first draws take the oldest of them). */
    public int[] bufferUnused = new int[0];
    /** Where each ring's reuse cursor is, counted from the oldest buffered example. */
    public int[] reuseNext = new int[0];
    /** Per domain: slots that drew one of its examples, and of those the draws of an example never drawn before. */
    public long[] drawCount = new long[0];
    public long[] freshDrawCount = new long[0];

    // per domain: the latest statistics summary
    public long[] statsCount = new long[0];
    public FglsStatistics[] fgls = new FglsStatistics[0];
    public double[] noiseVariance = new double[0];
    public long fglsSolvedAt = -1;
    public double[] fglsTheta;

    // weights in force
    public double[] share = new double[0];
    public double[] lossWeight = new double[0];
    public double[] samplingProbability = new double[0];
    public double[] importanceWeight = new double[0];
    /** The arrival at which the weights were last recomputed, and whether a summary waits for it. */
    public long weightsAt = -1;
    public boolean weightsPending;
    /** η₀ in force (before the decay schedule) and the step size of the last step. */
    public double baseStepSize;
    public double stepSize;

    // measured gradient noise ‖w∇ℓ‖² per slot and training loss
    public double noiseRaw;
    public long noiseCount;
    public double noiseWindowSum;
    public long noiseWindowCount;
    public double trainingLossRaw;

    public TrainerState() {}
}
