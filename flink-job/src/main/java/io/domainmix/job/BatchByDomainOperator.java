package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.core.stats.DomainStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Groups validated examples into {@link ExampleBatch}es twice: batches of one domain, keeping each
 * domain's order, for the statistics (main output, keyed by domain downstream), and batches of
 * consecutive arrivals of any domains, keeping the arrival order, for the trainer
 * ({@link #IN_ARRIVAL_ORDER}, without the examples whose squared size overflows, which the
 * statistics count). A batch goes out when it holds {@code maxExamples}, when its oldest example
 * has waited {@code lingerMs}, and before every checkpoint barrier and the end of input.
 *
 * <p>The trainer gets the arrival order straight from here because the source paces its
 * partitions into the produced mixture: sent through the statistics operator, it got each
 * domain's examples in blocks of a batch, interleaved by the timing of the parallel statistics
 * subtasks (at the trainer as few as half of the windows of 500 arrivals that were within ±0.10
 * of the overall shares at the source).
 *
 * <p>Flushing before the barrier means no example is ever held across a checkpoint, so the
 * operator has no state and the job's exactly-once state and offsets are unaffected.
 *
 * <p>Event time downstream means only the end of input: its watermark triggers the final summaries
 * and snapshot, so the batches are flushed ahead of it. The source's other watermarks serve only
 * the alignment of several readers (README "Arrival order on replay") and stop here: forwarded,
 * each would be broadcast to every statistics subtask, and flushing for each would cut the batches
 * short, a watermark every few hundred examples of a partition. Runs chained to validation, on the
 * same thread.
 */
public final class BatchByDomainOperator extends LingeringBatchOperator<Example, ExampleBatch> {
    private static final long serialVersionUID = 1L;

    /** Batches of consecutive arrivals of any domains, in arrival order: the trainer's examples. */
    public static final OutputTag<TrainerInput> IN_ARRIVAL_ORDER = new OutputTag<>("in-arrival-order") {};

    private final int maxExamples;
    /** Whether to send the trainer its batches from here (not when the decoders send them, numbered). */
    private final boolean inArrivalOrder;

    private transient Map<String, List<Example>> pending;
    private transient List<Example> pendingInArrivalOrder;

    public BatchByDomainOperator(int maxExamples, long lingerMs) {
        this(maxExamples, lingerMs, true);
    }

    /**
     * @param inArrivalOrder whether to emit {@link #IN_ARRIVAL_ORDER} (false when the decoders send
     *     the trainer its examples themselves, see {@link ParseChunksFunction})
     */
    public BatchByDomainOperator(int maxExamples, long lingerMs, boolean inArrivalOrder) {
        super(lingerMs);
        if (maxExamples < 1 || lingerMs < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 example and lingers at least 1 ms; got "
                    + maxExamples + " and " + lingerMs);
        }
        this.maxExamples = maxExamples;
        this.inArrivalOrder = inArrivalOrder;
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new LinkedHashMap<>();
        pendingInArrivalOrder = new ArrayList<>(maxExamples);
    }

    @Override
    public void processElement(StreamRecord<Example> record) {
        Example e = record.getValue();
        if (inArrivalOrder && DomainStatistics.squaredSizeIsFinite(e)) {
            pendingInArrivalOrder.add(e);
            if (pendingInArrivalOrder.size() >= maxExamples) {
                emitInArrivalOrder();
            }
        }
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
        }
        lingerFromNow(); // a flush of nothing costs a map walk
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            flush();
            super.processWatermark(mark);
        }
    }

    @Override
    void flush() {
        if (!pendingInArrivalOrder.isEmpty()) {
            emitInArrivalOrder();
        }
        for (Map.Entry<String, List<Example>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                emit(e.getKey(), e.getValue());
            }
        }
    }

    private void emitInArrivalOrder() {
        ExampleBatch batch = ExampleBatch.inArrivalOrder(pendingInArrivalOrder.toArray(new Example[0]));
        output.collect(IN_ARRIVAL_ORDER, new StreamRecord<>(TrainerInput.of(batch)));
        pendingInArrivalOrder.clear();
    }

    private void emit(String domain, List<Example> batch) {
        output.collect(new StreamRecord<>(new ExampleBatch(domain, batch.toArray(new Example[0]))));
        batch.clear();
    }
}
