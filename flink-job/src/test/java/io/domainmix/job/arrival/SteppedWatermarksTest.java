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

        @Override
        public void markIdle() {}

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
}
