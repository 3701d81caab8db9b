package io.domainmix.job;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.stats.DomainStatistics;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates the records of numbered chunks ({@link RecordDecoder}), one of several
 * subtasks that share the decoding of one source reader's output. Valid examples go on to the
 * statistics' batching; every rejected record goes to {@link ParseExamplesFunction#REJECTED}; and
 * each chunk's examples go to the trainer's side as one {@link SequencedBatch} with the chunk's
 * number ({@link #IN_SEQUENCE}; empty when none is valid), so that {@link ResequenceFunction} can
 * restore the reader's order. The trainer's batch leaves out the examples whose squared size
 * overflows, which the statistics count.
 */
public final class ParseChunksFunction extends ProcessFunction<RawChunk, Example> {
    private static final long serialVersionUID = 1L;

    /** Each chunk's valid examples in the reader's order, numbered: the trainer's examples. */
    public static final OutputTag<SequencedBatch> IN_SEQUENCE = new OutputTag<>("in-sequence") {};

    private final ExampleSchema schema;
    private final String topicPrefix;
    private final String runId;
    private transient RecordDecoder decoder;
    private transient List<Example> forTrainer;

    public ParseChunksFunction(ExampleSchema schema, String topicPrefix, String runId) {
        this.schema = schema;
        this.topicPrefix = topicPrefix + ".";
        this.runId = runId;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new RecordDecoder(schema, topicPrefix, getRuntimeContext().getMetricGroup());
        forTrainer = new ArrayList<>();
    }

    @Override
    public void processElement(RawChunk chunk, Context ctx, Collector<Example> out) {
        for (RawRecord r : chunk.records) {
            DecodeResult result = decoder.decode(r);
            if (result.isAccepted()) {
                Example e = result.example();
                out.collect(e);
                if (DomainStatistics.squaredSizeIsFinite(e)) {
                    forTrainer.add(e);
                }
            } else {
                ctx.output(ParseExamplesFunction.REJECTED, DeadLetter.of(r, result.reason().name(), result.detail(), runId));
            }
        }
        ctx.output(IN_SEQUENCE, new SequencedBatch(chunk.seq, ExampleBatch.inArrivalOrder(forTrainer.toArray(new Example[0]))));
        forTrainer.clear();
    }
}
