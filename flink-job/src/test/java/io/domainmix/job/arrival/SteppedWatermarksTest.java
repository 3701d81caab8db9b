package io.domainmix.job.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class SteppedWatermarksTest {

    static final class Recorded implements WatermarkOutput {
        final List<Long> marks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark w) {
            marks.add(w.getTimestamp());
        }

        int idleMarks;

        @Override
        public void markIdle() {
            idleMarks++;
        }

        @Override
        public void markActive() {}
    }

    @Test
    void raisesTheWatermarkOncePerStepAsRecordsArrive() {
        SteppedWatermarks<String> g = new SteppedWatermarks<>(25, 7);
        Recorded out = new Recorded();
        for (long t = 100; t <= 200; t++) {
            g.onEvent("r", t, out);
        }
        // one watermark per multiple of 25 crossed (100, 125, 150, 175, 200), each just below it
        assertEquals(List.of(99L, 124L, 149L, 174L, 199L), out.marks);
        g.onEvent("late", 120, out);
        assertEquals(5, out.marks.size(), "an older record raises nothing");
    }

    @Test
    void thePeriodicEmitCatchesUpToTheNewestRecord() {
        SteppedWatermarks<String> g = new SteppedWatermarks<>(25, 7);
        Recorded out = new Recorded();
        g.onPeriodicEmit(out);
        g.onPeriodicEmit(out);
        assertEquals(List.of(7L), out.marks, "the start, once, before the first record");
        g.onEvent("r", 110, out);
        g.onPeriodicEmit(out);
        g.onPeriodicEmit(out);
        assertEquals(List.of(7L, 99L, 109L), out.marks);
    }

    @Test
    void anIdlePartitionFollowsTheClockInsteadOfBeingMarkedIdle() {
        long[] now = {1_000_000};
        SteppedWatermarks<String> g = new SteppedWatermarks<>(25, 7, 5_000, () -> now[0]);
        Recorded out = new Recorded();
        g.onEvent("r", 500_000, out);
        g.onPeriodicEmit(out);
        now[0] += 4_000;
        g.onPeriodicEmit(out);
        assertEquals(499_999L, out.marks.get(out.marks.size() - 1), "not idle yet: the newest record's time");
        now[0] += 1_000;
        g.onPeriodicEmit(out);
        assertEquals(now[0] - 5_000, out.marks.get(out.marks.size() - 1), "idle: the clock minus the idle time");
        now[0] += 200;
        g.onPeriodicEmit(out);
        assertEquals(now[0] - 5_000, out.marks.get(out.marks.size() - 1), "and it keeps following the clock");
        assertEquals(0, out.idleMarks, "never marked idle: a drained stop must still deliver the final watermark");

        int before = out.marks.size();
        g.onEvent("again", 700_000, out);
        g.onPeriodicEmit(out);
        now[0] += 1_000;
        g.onPeriodicEmit(out);
        assertEquals(before, out.marks.size(), "records again (older than the clock): active, and the watermark never goes back");
    }

    @Test
    void anEmptyPartitionStopsHoldingTheOthersBackAfterTheIdleTime() {
        long[] now = {2_000_000};
        SteppedWatermarks<String> g = new SteppedWatermarks<>(25, 7, 5_000, () -> now[0]);
        Recorded out = new Recorded();
        g.onPeriodicEmit(out);
        assertEquals(List.of(7L), out.marks);
        now[0] += 5_000;
        g.onPeriodicEmit(out);
        assertEquals(List.of(7L, now[0] - 5_000), out.marks);
    }
}
