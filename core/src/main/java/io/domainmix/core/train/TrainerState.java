package io.domainmix.core.train;

import io.domainmix.core.fgls.FglsStatistics;

/**
 * Everything the trainer must carry across a failure: the model and optimizer, the averaging
 * windows, the per-domain buffers, the random generator, the arrival counts, the latest
 * statistics per domain and the weights in force. Arrays indexed by domain (in order of first
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

    // tail averaging over doubling windows: [windowStart, 2·windowStart)
    public double[] averageCurrent;
    public long averageCurrentCount;
    public double[] averagePrevious;
    public long averagePreviousCount;
    public long averageWindowEnd;

    // per domain: arrivals
    public long[] arrivalCount = new long[0];
    public double[] decayedCount = new double[0];
    public long[] decayedAt = new long[0];
    public double[] featureRaw = new double[0];

    // per domain: ring buffers of the newest R examples
    public double[][] bufferX = new double[0][];
    public double[][] bufferY = new double[0][];
    public double[][] bufferWeight = new double[0][];
    public int[] bufferSize = new int[0];
    public int[] bufferNext = new int[0];

    // per domain: the latest statistics summary
    public long[] statsCount = new long[0];
    public double[] statsLoss = new double[0];
    public double[] statsGradient = new double[0];
    public FglsStatistics[] fgls = new FglsStatistics[0];
    public double[] noiseVariance = new double[0];
    public long fglsSolvedAt = -1;
    public double[] fglsTheta;

    // weights in force
    public double[] share = new double[0];
    public double[] lossWeight = new double[0];
    public double[] samplingProbability = new double[0];
    public double[] importanceWeight = new double[0];
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
