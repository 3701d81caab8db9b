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
    /** The alignment group of the example source. */
    public static final String GROUP = "domainmix-examples";
    /**
     * In progress mode, each partition's backlog is spread over this many drifts of virtual time,
     * so a partition runs at most 1/400 of its backlog ahead: measured on 4 × 4,000 examples, 1/100
     * left runs of one domain long enough to fail the arrival-mix check, 1/400 passed it. The
     * backlog then takes at least 400 alignment updates to read (4 s at the default 10 ms).
     */
    public static final int PROGRESS_DRIFTS_PER_BACKLOG = 400;

    private ArrivalAlignment() {}

    /**
     * @param drift how far in record time a partition may run ahead of the slowest (in progress
     *     mode, 1/{@value #PROGRESS_DRIFTS_PER_BACKLOG} of its backlog while it reads the backlog)
     * @param idle after this long without a record a partition no longer holds the others back;
     *     null for none (a bounded input, whose partitions leave the group when they finish)
     * @param updateInterval how often the readers' watermarks are combined and the limit announced
     */
    public static WatermarkStrategy<RawRecord> watermarks(ArrivalOrder order, StartBacklog backlog, Duration drift,
                                                          Duration idle, Duration updateInterval) {
        if (order == ArrivalOrder.OFF) {
            return WatermarkStrategy.noWatermarks();
        }
        SerializableTimestampAssigner<RawRecord> timestamps = order == ArrivalOrder.PROGRESS
                ? new BacklogProgressTimestamps(backlog, drift.toMillis() * PROGRESS_DRIFTS_PER_BACKLOG)
                : new RecordTimestamps();
        long step = Math.max(1, drift.toMillis() / 4);
        long span = drift.toMillis() * PROGRESS_DRIFTS_PER_BACKLOG;
        // where a partition's clock starts: the backlog's virtual start, or (record time) the epoch
        long start = order == ArrivalOrder.PROGRESS ? backlog.start(span) - 1 : 0;
        // idleness by a watermark that follows the clock, not Flink's idle marking (see SteppedWatermarks)
        long idleMs = idle == null ? 0 : Math.max(1, idle.toMillis());
        return WatermarkStrategy.<RawRecord>forGenerator(
                        ctx -> new SteppedWatermarks<>(step, start, idleMs, System::currentTimeMillis))
                .withTimestampAssigner(timestamps)
                .withWatermarkAlignment(GROUP, drift, updateInterval);
    }
}
