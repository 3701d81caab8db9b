package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.domainmix.core.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The decoders' numbered batches come out in the reader's order, also across a restore. */
class ResequenceFunctionTest {
    private static final String RUN = "run";

    private static KeyedTwoInputStreamOperatorTestHarness<String, SequencedBatch, TrainerInput, TrainerInput> harness()
            throws Exception {
        return harness(new ResequenceFunction());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, SequencedBatch, TrainerInput, TrainerInput> harness(
            ResequenceFunction f) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(f), b -> RUN, in -> RUN, Types.STRING);
    }

    /** Chunk {@code seq} with one example whose label is the chunk number, or none. */
    private static StreamRecord<SequencedBatch> chunk(long seq, boolean empty) {
        Example[] examples = empty ? new Example[0] : new Example[] {new Example("d", new double[] {1}, seq)};
        return new StreamRecord<>(new SequencedBatch(seq, ExampleBatch.inArrivalOrder(examples)));
    }

    /** The labels of the example batches that came out, in order ("s" for a summary). */
    private static List<String> out(KeyedTwoInputStreamOperatorTestHarness<String, SequencedBatch, TrainerInput, TrainerInput> h) {
        List<String> seen = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof TrainerInput in) {
                seen.add(in.isExamples() ? String.valueOf((long) in.examples.examples[0].y) : "s");
            }
        }
        return seen;
    }

    @Test
    void batchesLeaveInTheReadersOrderAndSummariesAtOnce() throws Exception {
        ResequenceFunction f = new ResequenceFunction();
        try (var h = harness(f)) {
            h.open();
            h.processElement1(chunk(1, false));
            h.processElement1(chunk(3, false));
            assertEquals(2, f.waiting(), "1 and 3 wait");
            h.processElement2(new StreamRecord<>(TrainerInput.of(new io.domainmix.core.stats.DomainStats())));
            assertEquals(List.of("s"), out(h), "a summary does not wait; chunks 1 and 3 wait for 0");
            h.processElement1(chunk(0, false));
            assertEquals(List.of("s", "0", "1"), out(h), "0 lets 1 go; 3 waits for 2");
            h.processElement1(chunk(2, true)); // no valid example in chunk 2: nothing sent, 3 goes on
            assertEquals(List.of("s", "0", "1", "3"), out(h));
            assertEquals(0, f.waiting(), "nothing is left waiting once the gap is filled");
        }
    }

    @Test
    void waitingBatchesAndTheNextNumberSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement1(chunk(0, false));
            h.processElement1(chunk(2, false)); // waits for 1, as with an unaligned checkpoint
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(chunk(3, false));
            assertEquals(List.of(), out(h), "3 waits for 1, as 2 does");
            h.processElement1(chunk(1, false));
            assertEquals(List.of("1", "2", "3"), out(h));
        }
    }
}
