package io.domainmix.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Numbers the example source's records in the order its one reader merged them, in chunks of
 * consecutive records, so that they can be decoded by several subtasks and put back in order
 * before the trainer ({@link ResequenceFunction}). Runs once, chained to the source.
 *
 * <p>A chunk goes out when it holds {@code maxRecords}, when its oldest record has waited
 * {@code lingerMs} (live input), and before every checkpoint barrier and the end of input, so no
 * record is held across a checkpoint. The next chunk number is the operator's state: with
 * unaligned checkpoints, chunks in flight are restored with their numbers and the numbering must
 * go on after them.
 */
public final class SequenceChunksOperator extends LingeringBatchOperator<RawRecord, RawChunk> {
    private static final long serialVersionUID = 1L;

    private final int maxRecords;
    private transient List<RawRecord> pending;
    private transient long nextSeq;
    private transient ListState<Long> nextSeqState;

    public SequenceChunksOperator(int maxRecords, long lingerMs) {
        super(lingerMs);
        if (maxRecords < 1 || lingerMs < 1) {
            throw new IllegalArgumentException("a chunk holds at least 1 record and lingers at least 1 ms; got "
                    + maxRecords + " and " + lingerMs);
        }
        this.maxRecords = maxRecords;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        nextSeqState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("next-chunk", Types.LONG));
        for (Long seq : nextSeqState.get()) {
            nextSeq = Math.max(nextSeq, seq);
        }
        pending = new ArrayList<>(maxRecords);
    }

    @Override
    public void processElement(StreamRecord<RawRecord> record) {
        pending.add(record.getValue());
        if (pending.size() >= maxRecords) {
            flush();
        } else {
            lingerFromNow();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        nextSeqState.update(List.of(nextSeq));
    }

    @Override
    void flush() {
        if (!pending.isEmpty()) {
            output.collect(new StreamRecord<>(new RawChunk(nextSeq++, pending.toArray(new RawRecord[0]))));
            pending.clear();
        }
    }
}
