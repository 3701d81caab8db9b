package io.domainmix.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts the examples decoded by several subtasks back in the order of the source's one reader,
 * before the trainer: chunk {@code n}'s batch goes on only after chunk {@code n − 1}'s. The
 * statistics' summaries (second input) go on at once. Runs once, chained to the trainer.
 *
 * <p>The decoders get the chunks in turn from the one source subtask, which blocks when a
 * decoder's channel is full; so a chunk waits here for at most the chunks in flight to the other
 * decoders (their network buffers). With aligned checkpoints every chunk numbered before a barrier
 * has arrived when the barrier has, so nothing waits across a checkpoint; the waiting chunks and
 * the next number are still the function's state, for unaligned checkpoints, which restore the
 * chunks in flight with their numbers.
 */
public final class ResequenceFunction extends KeyedCoProcessFunction<String, SequencedBatch, TrainerInput, TrainerInput>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private transient Map<Long, ExampleBatch> waiting;
    private transient long nextSeq;
    private transient ListState<SequencedBatch> waitingState;
    private transient ListState<Long> nextSeqState;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        waitingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("waiting-chunks", TypeInformation.of(SequencedBatch.class)));
        nextSeqState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("next-chunk", Types.LONG));
        waiting = new HashMap<>();
        for (SequencedBatch b : waitingState.get()) {
            waiting.put(b.seq, b.batch);
        }
        for (Long seq : nextSeqState.get()) {
            nextSeq = Math.max(nextSeq, seq);
        }
    }

    @Override
    public void processElement1(SequencedBatch in, Context ctx, Collector<TrainerInput> out) {
        if (in.seq != nextSeq) {
            waiting.put(in.seq, in.batch);
            return;
        }
        emit(in.batch, out);
        ExampleBatch next;
        while ((next = waiting.remove(nextSeq)) != null) {
            emit(next, out);
        }
    }

    private void emit(ExampleBatch batch, Collector<TrainerInput> out) {
        nextSeq++;
        if (batch.size() > 0) {
            out.collect(TrainerInput.of(batch));
        }
    }

    @Override
    public void processElement2(TrainerInput summary, Context ctx, Collector<TrainerInput> out) {
        out.collect(summary);
    }

    /** Chunks waiting for an earlier one. */
    int waiting() {
        return waiting.size();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        waitingState.clear();
        for (Map.Entry<Long, ExampleBatch> e : waiting.entrySet()) {
            waitingState.add(new SequencedBatch(e.getKey(), e.getValue()));
        }
        nextSeqState.update(java.util.List.of(nextSeq));
    }
}
