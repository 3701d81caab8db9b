package io.domainmix.job.score;

/**
 * The answer to one request: the request's id, the prediction (a real value, or the probability
 * of label 1 for logistic and binary-MLP models), the run and the snapshot version that computed
 * it, the request's label when it had one, and the request's coordinates.
 */
public final class Prediction {
    public String id;
    public double prediction;
    public String runId;
    public long version;
    public String modelSource;
    public double label = Double.NaN;
    public String topic;
    public int partition;
    public long offset;
    public long requestTimestamp;

    public Prediction() {}
}
