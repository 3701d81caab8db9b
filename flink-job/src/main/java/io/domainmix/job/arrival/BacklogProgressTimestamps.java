package io.domainmix.job.arrival;

import io.domainmix.job.RawRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Stamps a record with its partition's progress through the start backlog ({@link ArrivalOrder#PROGRESS}). */
public final class BacklogProgressTimestamps implements SerializableTimestampAssigner<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final StartBacklog backlog;

    public BacklogProgressTimestamps(StartBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    public long extractTimestamp(RawRecord r, long recordTimestamp) {
        return backlog.timestamp(r.topic, r.partition, r.offset, r.timestamp);
    }
}
