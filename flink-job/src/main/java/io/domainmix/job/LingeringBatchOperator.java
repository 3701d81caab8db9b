package io.domainmix.job;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;

/**
 * An operator that gathers records into batches and sends what it holds when its oldest record
 * has waited {@code lingerMs}, before every checkpoint barrier, and at the end of input, so that
 * nothing is held across a checkpoint and the operator needs no state for what it gathers.
 * Subclasses gather in {@code processElement}, call {@link #lingerFromNow()} when they hold
 * something, and send it in {@link #flush()}.
 */
abstract class LingeringBatchOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final long lingerMs;
    private transient boolean lingerTimerSet;

    LingeringBatchOperator(long lingerMs) {
        this.lingerMs = lingerMs;
    }

    /** Sends whatever is gathered. */
    abstract void flush();

    /** Makes sure a flush comes within the linger time: one timer for whatever is held. */
    void lingerFromNow() {
        if (!lingerTimerSet) {
            lingerTimerSet = true;
            getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + lingerMs, this);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        lingerTimerSet = false;
        flush();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }
}
