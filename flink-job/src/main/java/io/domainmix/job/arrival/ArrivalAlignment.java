package io.domainmix.job.arrival;

import io.domainmix.job.RawRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The example source's watermark strategy for an {@link ArrivalOrder}: timestamps from the chosen
 * clock, per-partition watermarks (the Kafka source generates them per split), idleness, and
 * alignment of the splits in one group, so that a partition more than the allowed drift ahead of
 * the slowest active one is paused (FLIP-217; the Kafka source pauses the partition in its
 * consumer).
 */
public final class ArrivalAlignment {
    /** The alignment group of the example source (the feedback source takes no part). */
    public static final String GROUP = "domainmix-examples";

    private ArrivalAlignment() {}

    /**
     * @param drift how far (in the mode's clock) a partition may run ahead of the slowest
     * @param idle after this long without a record a partition no longer holds the others back
     * @param updateInterval how often the readers' watermarks are combined and the limit announced
     */
    public static WatermarkStrategy<RawRecord> watermarks(ArrivalOrder order, StartBacklog backlog, Duration drift,
                                                          Duration idle, Duration updateInterval) {
        if (order == ArrivalOrder.OFF) {
            return WatermarkStrategy.noWatermarks();
        }
        SerializableTimestampAssigner<RawRecord> timestamps = order == ArrivalOrder.PROGRESS
                ? new BacklogProgressTimestamps(backlog) : new RecordTimestamps();
        long step = Math.max(1, drift.toMillis() / 4);
        return WatermarkStrategy.<RawRecord>forGenerator(ctx -> new SteppedWatermarks<>(step))
                .withTimestampAssigner(timestamps)
                .withIdleness(idle)
                .withWatermarkAlignment(GROUP, drift, updateInterval);
    }
}
