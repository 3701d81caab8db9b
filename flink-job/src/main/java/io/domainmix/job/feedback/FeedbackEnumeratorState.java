package io.domainmix.job.feedback;

import java.util.List;

/**
 * What the split enumerator checkpoints: whether the start offsets were read from the broker, and
 * the split not yet handed to the reader (empty once assigned: the reader then owns the offsets).
 */
public record FeedbackEnumeratorState(boolean discovered, List<SnapshotTopicSplit> unassigned) {
    public FeedbackEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}
