package io.domainmix.job.arrival;

import io.domainmix.job.RawRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Stamps a record with its partition's progress through the start backlog ({@link ArrivalOrder#PROGRESS}),
 * for the alignment of several readers: on the clock of the readers' merge ({@link ArrivalClock}),
 * the time just before the partition's next record, so that a partition's watermark tells when
 * its next record comes.
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
        // get before put: a lambda reading the record would be allocated for every record
        Map<Integer, ArrivalClock.Partition> ofTopic = partitions.get(r.topic);
        if (ofTopic == null) {
            ofTopic = new HashMap<>();
            partitions.put(r.topic, ofTopic);
        }
        ArrivalClock.Partition p = ofTopic.get(r.partition);
        if (p == null) {
            p = clock.partition(r.topic, r.partition);
            ofTopic.put(r.partition, p);
        }
        if (!p.inBacklog(r.offset)) {
            return r.timestamp;
        }
        // just before the partition's next record: alignment judges a partition by its watermark,
        // and a watermark that stops at the last record would leave a sparse partition (a small
        // backlog over the same span) looking far behind while its next record lies after others';
        // the readers' merges would then wait for partitions that alignment keeps paused
        return (long) Math.ceil(p.time(r.offset + 1, r.timestamp)) - 1;
    }
}
