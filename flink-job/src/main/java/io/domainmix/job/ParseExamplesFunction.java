package io.domainmix.job;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleSchema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates records ({@link RecordDecoder}), JSON or binary, so producers may use
 * either on the same topics. Valid examples go on, every rejected record goes to
 * {@link #REJECTED} as a {@link DeadLetter} and is counted in the {@code rejectedRecords} metric.
 * Never throws on bad data.
 */
public final class ParseExamplesFunction extends ProcessFunction<RawRecord, Example> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected") {};
    public static final String REJECTED_METRIC = RecordDecoder.REJECTED_METRIC;
    public static final String ACCEPTED_METRIC = RecordDecoder.ACCEPTED_METRIC;

    private final ExampleSchema schema;
    private final String topicPrefix;
    private final String runId;
    private transient RecordDecoder decoder;

    public ParseExamplesFunction(ExampleSchema schema, String topicPrefix, String runId) {
        this.schema = schema;
        this.topicPrefix = topicPrefix + ".";
        this.runId = runId;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new RecordDecoder(schema, topicPrefix, getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<Example> out) {
        DecodeResult result = decoder.decode(r);
        if (result.isAccepted()) {
            out.collect(result.example());
        } else {
            ctx.output(REJECTED, DeadLetter.of(r, result.reason().name(), result.detail(), runId));
        }
    }
}
