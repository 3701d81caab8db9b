package io.domainmix.job.score;

/**
 * One request to score: its id, the features, the label when the request carries one (NaN
 * otherwise), and where it came from. A POJO, so that held requests checkpoint with Flink's
 * POJO serializer.
 */
public final class ScoreRequest {
    /** The record's {@code id} field, else its key, else {@code topic-partition@offset}. */
    public String id;
    public double[] x;
    public double y = Double.NaN;
    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record's timestamp (append time on topics that use it), in epoch ms. */
    public long timestamp;
    /** The raw key and value, kept so that a request refused later is dead-lettered like one refused at once. */
    public String key;
    public byte[] value;

    public ScoreRequest() {}
}
