package io.domainmix.job;

import io.domainmix.core.data.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Groups validated examples into {@link ExampleBatch}es of one domain, keeping each domain's
 * order: a batch goes out when it holds {@code maxExamples}, when its oldest example has waited
 * {@code lingerMs}, and before every checkpoint barrier, watermark and the end of input.
 *
 * <p>Flushing before the barrier means no example is ever held across a checkpoint, so the
 * operator has no state and the job's exactly-once state and offsets are unaffected; flushing
 * before a watermark keeps examples ahead of the end-of-input watermark, which triggers the final
 * summaries and snapshot downstream. Runs chained to validation, on the same thread.
 */
public final class BatchByDomainOperator extends AbstractStreamOperator<ExampleBatch>
        implements OneInputStreamOperator<Example, ExampleBatch>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final int maxExamples;
    private final long lingerMs;

    private transient Map<String, List<Example>> pending;
    private transient boolean lingerTimerSet;

    public BatchByDomainOperator(int maxExamples, long lingerMs) {
        if (maxExamples < 1 || lingerMs < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 example and lingers at least 1 ms; got "
                    + maxExamples + " and " + lingerMs);
        }
        this.maxExamples = maxExamples;
        this.lingerMs = lingerMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new LinkedHashMap<>();
    }

    @Override
    public void processElement(StreamRecord<Example> record) {
        Example e = record.getValue();
        if (maxExamples == 1) {
            output.collect(new StreamRecord<>(ExampleBatch.of(e)));
            return;
        }
        List<Example> batch = pending.get(e.domain); // not computeIfAbsent: its lambda would capture this per record
        if (batch == null) {
            batch = new ArrayList<>(maxExamples);
            pending.put(e.domain, batch);
        }
        batch.add(e);
        if (batch.size() >= maxExamples) {
            emit(e.domain, batch);
        } else if (!lingerTimerSet) {
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
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
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

    private void flush() {
        for (Map.Entry<String, List<Example>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                emit(e.getKey(), e.getValue());
            }
        }
    }

    private void emit(String domain, List<Example> batch) {
        output.collect(new StreamRecord<>(new ExampleBatch(domain, batch.toArray(new Example[0]))));
        batch.clear();
    }
}
