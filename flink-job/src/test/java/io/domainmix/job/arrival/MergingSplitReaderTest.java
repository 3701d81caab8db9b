package io.domainmix.job.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.job.arrival.MergingSplitReader.MergedRecords;
import io.domainmix.job.arrival.MergingSplitReader.PartitionQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The merge's ordering pieces: per-partition queues on the clock, and the batch handed to the source reader. */
class MergingSplitReaderTest {
    private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, long timestamp) {
        return new ConsumerRecord<>(topic, 0, offset, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                1, 10, new byte[1], new byte[10], new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }

    private static PartitionQueue queue(String topic, int index, ArrivalClock clock) {
        return new PartitionQueue(new TopicPartition(topic, 0), topic + "-0", index, clock.partition(topic, 0), 0, 0);
    }

    /** Takes every queued record in the merge's order (no partition holding back), as topic names. */
    private static List<String> drain(PartitionQueue... queues) {
        PriorityQueue<PartitionQueue> heads = new PriorityQueue<>(PartitionQueue::compareHeads);
        for (PartitionQueue q : queues) {
            if (!q.isEmpty()) {
                heads.add(q);
            }
        }
        List<String> order = new ArrayList<>();
        while (!heads.isEmpty()) {
            PartitionQueue q = heads.poll();
            order.add(q.poll().topic());
            if (!q.isEmpty()) {
                heads.add(q);
            }
        }
        return order;
    }

    @Test
    void recordsOfEqualTimeAlternateBetweenPartitions() {
        ArrivalClock clock = ArrivalClock.eventTime();
        PartitionQueue a = queue("a", 0, clock);
        PartitionQueue b = queue("b", 1, clock);
        for (int i = 0; i < 3; i++) {
            a.add(record("a", i, 1_000), 0); // a burst: three records within one millisecond
        }
        b.add(record("b", 0, 1_000), 0);
        b.add(record("b", 1, 1_000), 0);
        b.add(record("b", 2, 999), 0); // out of order within b: it stays behind b's earlier records
        a.add(record("a", 3, 1_001), 0);
        assertEquals(List.of("a", "b", "a", "b", "b", "a", "a"), drain(a, b));
    }

    @Test
    void progressSpreadsEveryBacklogOverTheSameSpan() {
        // a backlog of 4 records and one of 2, measured at time 10,000 over a span of 1,000 ms
        StartBacklog backlog = new StartBacklog(Map.of(StartBacklog.key("a", 0), new long[] {0, 4},
                StartBacklog.key("b", 0), new long[] {0, 2}), 10_000);
        ArrivalClock clock = ArrivalClock.progress(backlog, 1_000);
        PartitionQueue a = queue("a", 0, clock);
        PartitionQueue b = queue("b", 1, clock);
        for (int i = 0; i < 4; i++) {
            a.add(record("a", i, 50), 0); // timestamps say nothing here: loaded one after the other
        }
        for (int i = 0; i < 2; i++) {
            b.add(record("b", i, 60), 0);
        }
        b.add(record("b", 2, 10_500), 0); // after the backlog: its own timestamp
        assertEquals(List.of("a", "b", "a", "a", "b", "a", "b"), drain(a, b));
    }

    @Test
    void anEmptyPartitionBoundsTheMergeByItsNextRecord() {
        StartBacklog backlog = new StartBacklog(Map.of(StartBacklog.key("a", 0), new long[] {0, 10}), 10_000);
        PartitionQueue inBacklog = queue("a", 0, ArrivalClock.progress(backlog, 1_000));
        // nothing read yet: its next record, offset 0, is the first of its backlog
        assertEquals(9_000.0, inBacklog.nextTimeBound());
        PartitionQueue live = queue("b", 1, ArrivalClock.eventTime());
        assertEquals(Double.NEGATIVE_INFINITY, live.nextTimeBound(), "nothing seen: it may deliver anything");
        live.add(record("b", 0, 500), 0);
        live.add(record("b", 1, 500), 0);
        live.poll();
        live.poll();
        assertEquals(500.0, live.nextTimeBound());
        assertEquals(2, live.nextRankBound(), "a third record at 500 would be the third of that millisecond");
    }

    @Test
    void aQueueKeepsOrderAndCountsItsBytesAcrossWrapsAndGrowth() {
        PartitionQueue q = queue("a", 0, ArrivalClock.eventTime());
        long perRecord = 1 + 10 + MergingSplitReader.RECORD_OVERHEAD_BYTES;
        long offset = 0;
        long expected = 0;
        for (int round = 0; round < 5; round++) {
            // fill past the ring's length, take most of it back: the ring wraps and then grows
            for (int i = 0; i < 50 + 40 * round; i++) {
                q.add(record("a", offset, 1_000 + offset), 0);
                offset++;
            }
            for (int i = 0; i < 30 + 30 * round; i++) {
                ConsumerRecord<byte[], byte[]> r = q.poll();
                assertEquals(expected, r.offset());
                assertEquals(1_000.0 + expected, q.lastTime, "the time handed on is the record's own");
                expected++;
            }
            assertEquals((offset - expected) * perRecord, q.bytes);
            assertEquals(offset - expected, q.size());
            assertEquals(1_000.0 + expected, q.headTime);
        }
        while (!q.isEmpty()) {
            assertEquals(expected++, q.poll().offset());
        }
        assertEquals(offset, expected);
        assertEquals(0, q.bytes);
    }

    @Test
    void batchesHandRunsOfOneSplitAndReportFinishedSplits() {
        MergedRecords out = new MergedRecords(Set.of("done-0"), 4);
        out.add("a-0", record("a", 0, 1));
        out.add("a-0", record("a", 1, 1));
        out.add("b-0", record("b", 0, 1));
        out.add("a-0", record("a", 2, 1));
        out.finished("b-0");
        List<String> seen = new ArrayList<>();
        String split;
        while ((split = out.nextSplit()) != null) {
            ConsumerRecord<byte[], byte[]> r;
            while ((r = out.nextRecordFromSplit()) != null) {
                seen.add(split + "@" + r.offset());
            }
        }
        assertEquals(List.of("a-0@0", "a-0@1", "b-0@0", "a-0@2"), seen);
        assertNull(out.nextRecordFromSplit());
        assertEquals(Set.of("done-0", "b-0"), out.finishedSplits());
        assertTrue(!out.isEmpty());
    }
}
