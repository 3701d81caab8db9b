package io.domainmix.job.arrival;

import java.io.Serializable;

/**
 * The order in which a reader merges its partitions: a record's place on the clock of an
 * {@link ArrivalOrder}. Event time is the record timestamp; progress is the record's position in
 * its partition's start backlog, spread over the same virtual span for every partition (see
 * {@link StartBacklog}), and record time outside a start backlog.
 */
final class ArrivalClock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final StartBacklog backlog;
    private final long spanMs;

    private ArrivalClock(StartBacklog backlog, long spanMs) {
        this.backlog = backlog;
        this.spanMs = spanMs;
    }

    static ArrivalClock eventTime() {
        return new ArrivalClock(null, 0);
    }

    static ArrivalClock progress(StartBacklog backlog, long spanMs) {
        return new ArrivalClock(backlog, spanMs);
    }

    /** One partition's view of the clock: its start backlog looked up once, not per record. */
    Partition partition(String topic, int partition) {
        return new Partition(backlog == null ? null : backlog.range(topic, partition),
                backlog == null ? 0 : backlog.start(spanMs), spanMs);
    }

    static final class Partition {
        private final long[] range;
        private final double startMs;
        private final double perOffsetMs;

        private Partition(long[] range, long startMs, long spanMs) {
            this.range = range;
            this.startMs = startMs;
            this.perOffsetMs = range == null ? 0 : (double) spanMs / (range[1] - range[0]);
        }

        /** The time of the record at {@code offset} with timestamp {@code timestamp}. */
        double time(long offset, long timestamp) {
            return inBacklog(offset) ? startMs + (offset - range[0]) * perOffsetMs : timestamp;
        }

        /** Whether the partition's next record, at {@code offset}, has a time known before it is read. */
        boolean inBacklog(long offset) {
            return range != null && offset >= range[0] && offset < range[1];
        }
    }
}
