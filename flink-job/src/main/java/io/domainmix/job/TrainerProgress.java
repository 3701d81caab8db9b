package io.domainmix.job;

/**
 * The trainer operator's own bookkeeping beside the core {@link io.domainmix.core.train.TrainerState}:
 * the last published snapshot version and the steps at which a snapshot and a metrics record were
 * last published. Checkpointed, so versions keep increasing across restarts.
 */
public final class TrainerProgress {
    public long version;
    public long snapshotStep;
    public long metricsStep;

    public TrainerProgress() {}
}
