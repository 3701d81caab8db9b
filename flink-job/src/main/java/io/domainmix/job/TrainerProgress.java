package io.domainmix.job;

/**
 * The trainer operator's own bookkeeping beside the core {@link io.domainmix.core.train.TrainerState}:
 * the last published snapshot version, the steps at which a snapshot and a metrics record were
 * last published, and when (processing time) the last snapshot was. Checkpointed, so versions
 * keep increasing across restarts.
 */
public final class TrainerProgress {
    public long version;
    public long snapshotStep;
    public long metricsStep;
    /** Processing time of the last snapshot, in epoch milliseconds; 0 before the first. */
    public long snapshotMs;

    public TrainerProgress() {}
}
