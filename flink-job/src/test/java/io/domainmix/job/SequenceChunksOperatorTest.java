package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The reader's records leave in numbered chunks, none held across a checkpoint, numbered on after a restore. */
class SequenceChunksOperatorTest {
    private static StreamRecord<RawRecord> record(long offset) {
        return new StreamRecord<>(new RawRecord("p.d1", 0, offset, "d1", new byte[0], offset));
    }

    /** Each chunk as "seq:first offset-last offset". */
    private static List<String> chunks(OneInputStreamOperatorTestHarness<RawRecord, RawChunk> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof RawChunk c) {
                out.add(c.seq + ":" + c.records[0].offset + "-" + c.records[c.records.length - 1].offset);
            }
        }
        return out;
    }

    @Test
    void chunksAreNumberedFlushedBeforeABarrierAndNumberedOnAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = new OneInputStreamOperatorTestHarness<>(new SequenceChunksOperator(3, 1_000))) {
            h.open();
            for (long i = 0; i < 7; i++) {
                h.processElement(record(i));
            }
            assertEquals(List.of("0:0-2", "1:3-5"), chunks(h), "full chunks go at once; offset 6 lingers");
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            assertEquals(List.of("0:0-2", "1:3-5", "2:6-6"), chunks(h), "the partial chunk goes before the barrier");
        }
        try (var h = new OneInputStreamOperatorTestHarness<>(new SequenceChunksOperator(3, 1_000))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(record(7));
            h.setProcessingTime(1_000); // the linger time has passed
            assertEquals(List.of("3:7-7"), chunks(h), "numbering goes on from the checkpoint; a lingering chunk goes on time");
        }
    }
}
