package io.domainmix.job.arrival;

import io.domainmix.job.RawRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Stamps a record with its partition's progress through the start backlog ({@link ArrivalOrder#PROGRESS}). */
public final class BacklogProgressTimestamps implements SerializableTimestampAssigner<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final StartBacklog backlog;
    private final long spanMs;

    /** @param spanMs the virtual time over which every partition's backlog is spread */
    public BacklogProgressTimestamps(StartBacklog backlog, long spanMs) {
        this.backlog = backlog;
        this.spanMs = spanMs;
    }

    @Override
    public long extractTimestamp(RawRecord r, long recordTimestamp) {
        return backlog.timestamp(r.topic, r.partition, r.offset, r.timestamp, spanMs);
    }
}
