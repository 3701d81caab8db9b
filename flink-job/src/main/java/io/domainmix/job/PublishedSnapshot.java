package io.domainmix.job;

import io.domainmix.core.train.ModelSnapshot;

/**
 * A model snapshot on its way to the snapshot topic. {@code last} marks the final snapshot of a
 * bounded run, so that a reader knows the model is complete.
 */
public final class PublishedSnapshot {
    public ModelSnapshot snapshot;
    public boolean last;

    public PublishedSnapshot() {}

    public PublishedSnapshot(ModelSnapshot snapshot, boolean last) {
        this.snapshot = snapshot;
        this.last = last;
    }
}
