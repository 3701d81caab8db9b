package io.domainmix.job;

/**
 * The valid examples of one {@link RawChunk}, in the chunk's order, with the chunk's number: what
 * a decoder sends the trainer's side so that {@link ResequenceFunction} can restore the source's
 * order across decoders. A chunk without valid examples still sends an empty batch, or the
 * chunks after it would wait for it.
 */
public final class SequencedBatch {
    public long seq;
    public ExampleBatch batch;

    public SequencedBatch() {}

    public SequencedBatch(long seq, ExampleBatch batch) {
        this.seq = seq;
        this.batch = batch;
    }
}
