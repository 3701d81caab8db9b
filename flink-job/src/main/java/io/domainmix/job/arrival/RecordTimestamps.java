package io.domainmix.job.arrival;

import io.domainmix.job.RawRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** The Kafka record's own timestamp ({@link ArrivalOrder#EVENT_TIME}). */
public final class RecordTimestamps implements SerializableTimestampAssigner<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(RawRecord r, long recordTimestamp) {
        return r.timestamp;
    }
}
