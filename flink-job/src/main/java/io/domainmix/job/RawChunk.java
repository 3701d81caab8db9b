package io.domainmix.job;

/**
 * Consecutive raw records of the example source, numbered in the order the source handed them on
 * ({@link SequenceChunksOperator}), so that the examples decoded from them in parallel can be put
 * back in that order ({@link ResequenceFunction}). A POJO so that Flink serializes it without a
 * generic fallback.
 */
public final class RawChunk {
    /** The chunk's place in the source's order: 0, 1, 2, … with no gaps. */
    public long seq;
    public RawRecord[] records;

    public RawChunk() {}

    public RawChunk(long seq, RawRecord[] records) {
        this.seq = seq;
        this.records = records;
    }
}
