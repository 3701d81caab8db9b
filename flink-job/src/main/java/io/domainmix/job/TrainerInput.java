package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.core.stats.DomainStats;

/**
 * What the statistics operator sends the trainer: an example or a statistics summary, in one
 * stream so that each statistics subtask's examples and summaries keep their order.
 * Exactly one field is set.
 */
public final class TrainerInput {
    public Example example;
    public DomainStats stats;

    public TrainerInput() {}

    public static TrainerInput of(Example e) {
        TrainerInput in = new TrainerInput();
        in.example = e;
        return in;
    }

    public static TrainerInput of(DomainStats s) {
        TrainerInput in = new TrainerInput();
        in.stats = s;
        return in;
    }

    public boolean isExample() {
        return example != null;
    }
}
