package io.domainmix.job.arrival;

import java.util.Locale;

/**
 * How the example source paces its partitions against each other (README "Arrival order on
 * replay"). Either way Flink's watermark alignment of source splits pauses a partition that runs
 * more than the allowed drift ahead of the slowest one; the modes differ in the clock.
 */
public enum ArrivalOrder {
    /** No pacing: each reader takes whatever its fetches return (a backlog arrives partition by partition). */
    OFF("off"),
    /** The record timestamps: the backlog arrives in the order it was produced. */
    EVENT_TIME("event-time"),
    /**
     * Each partition's progress through its backlog at start (offset fraction): all partitions
     * finish their backlog together, whatever their timestamps say. Records after the start
     * backlog, and partitions that appear later, keep their own timestamps.
     */
    PROGRESS("progress");

    private final String text;

    ArrivalOrder(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static ArrivalOrder parse(String s) {
        for (ArrivalOrder o : values()) {
            // the enum's name (event_time) is accepted too: options render enums by name
            if (o.text.equalsIgnoreCase(s.trim().replace('_', '-'))) {
                return o;
            }
        }
        throw new IllegalArgumentException("allowed: off, event-time, progress");
    }

    @Override
    public String toString() {
        return text;
    }
}
