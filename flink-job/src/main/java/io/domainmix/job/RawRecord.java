package io.domainmix.job;

/**
 * A Kafka record as it arrived, before validation: enough to decode it and, when it is rejected,
 * to say exactly where it came from. A POJO so that Flink serializes it without a generic fallback.
 */
public final class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    /** The key as UTF-8 text, or null. */
    public String key;
    public byte[] value;
    public long timestamp;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, String key, byte[] value, long timestamp) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }
}
