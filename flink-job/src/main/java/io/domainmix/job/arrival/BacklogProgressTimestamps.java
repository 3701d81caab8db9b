package io.domainmix.job.arrival;

import io.domainmix.job.RawRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Stamps a record with its partition's progress through the start backlog ({@link ArrivalOrder#PROGRESS}),
 * for the alignment of several readers; the same clock as the readers' merge ({@link ArrivalClock}).
 */
public final class BacklogProgressTimestamps implements SerializableTimestampAssigner<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final ArrivalClock clock;
    /** Each partition's view of the clock, by topic then partition: looked up once, not per record. */
    private transient Map<String, Map<Integer, ArrivalClock.Partition>> partitions;

    /** @param spanMs the virtual time over which every partition's backlog is spread */
    public BacklogProgressTimestamps(StartBacklog backlog, long spanMs) {
        this.clock = ArrivalClock.progress(backlog, spanMs);
    }

    @Override
    public long extractTimestamp(RawRecord r, long recordTimestamp) {
        if (partitions == null) {
            partitions = new HashMap<>();
        }
        ArrivalClock.Partition p = partitions.computeIfAbsent(r.topic, t -> new HashMap<>())
                .computeIfAbsent(r.partition, k -> clock.partition(r.topic, k));
        return (long) p.time(r.offset, r.timestamp);
    }
}
