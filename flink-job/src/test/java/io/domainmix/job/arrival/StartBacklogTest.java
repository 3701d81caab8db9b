package io.domainmix.job.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StartBacklogTest {
    static final long NOW = 1_800_000_000_000L;
    static final long SPAN = 40_000;

    final StartBacklog backlog = new StartBacklog(Map.of(
            StartBacklog.key("t.a", 0), new long[] {0, 4_000},
            StartBacklog.key("t.b", 0), new long[] {100, 1_100},
            StartBacklog.key("t.empty", 0), new long[] {7, 7}), NOW);

    @Test
    void partitionsOfDifferentSizesReachTheSameVirtualTimeAtTheSameFraction() {
        // a quarter of a's 4,000 and a quarter of b's 1,000 (which starts at offset 100)
        long a = time(backlog, "t.a", 0, 1_000, 5L, SPAN);
        long b = time(backlog, "t.b", 0, 350, 5L, SPAN);
        assertEquals(NOW - SPAN + SPAN / 4, a);
        assertEquals(a, b);
        assertEquals(NOW - SPAN, time(backlog, "t.a", 0, 0, 5L, SPAN), "the first record is at the span's start");
        assertTrue(time(backlog, "t.b", 0, 1_099, 5L, SPAN) < NOW, "the last record is before its end");
    }

    @Test
    void recordsOutsideTheStartBacklogKeepTheirOwnTimestamps() {
        assertEquals(42L, time(backlog, "t.a", 0, 4_000, 42L, SPAN), "a record produced after the start");
        assertEquals(42L, time(backlog, "t.b", 0, 99, 42L, SPAN), "a record before the start offset");
        assertEquals(42L, time(backlog, "t.new", 0, 0, 42L, SPAN), "a topic that appeared later");
        assertEquals(42L, time(backlog, "t.empty", 0, 7, 42L, SPAN), "a partition that was empty");
        assertEquals(2, backlog.partitions());
        assertEquals(5_000, backlog.total());
    }

    @Test
    void modesParseByNameAndABadOneNamesTheAllowedValues() {
        assertEquals(ArrivalOrder.EVENT_TIME, ArrivalOrder.parse("event-time"));
        assertEquals(ArrivalOrder.EVENT_TIME, ArrivalOrder.parse("EVENT_TIME"));
        assertEquals(ArrivalOrder.PROGRESS, ArrivalOrder.parse("progress"));
        assertEquals(ArrivalOrder.OFF, ArrivalOrder.parse("off"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrivalOrder.parse("offsets"));
        assertEquals("allowed: off, event-time, progress", e.getMessage());
    }

    /** A record's time on the progress clock, truncated to milliseconds as the watermarks see it. */
    private static long time(StartBacklog backlog, String topic, int partition, long offset, long ownTimestamp, long spanMs) {
        return (long) ArrivalClock.progress(backlog, spanMs).partition(topic, partition).time(offset, ownTimestamp);
    }
}
