package io.domainmix.job.score;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.job.DeadLetter;
import io.domainmix.job.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes request records with the training job's codecs and checks, except that the label is
 * optional and any dimension passes here (the served model's dimension is checked when a
 * request is scored). Refused records go to {@link #REJECTED} with their reason.
 */
public final class ParseRequestsFunction extends ProcessFunction<RawRecord, ScoreRequest> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-requests") {};
    public static final String REJECTED_METRIC = "rejectedRequests";

    private final ExampleSchema schema;
    private final String runId;
    private transient ExampleJsonCodec json;
    private transient ExampleBinaryCodec binary;
    private transient Counter rejected;

    public ParseRequestsFunction(ExampleSchema schema, String runId) {
        if (schema.labelRequired()) {
            throw new IllegalArgumentException("requests need a schema with an optional label");
        }
        this.schema = schema;
        this.runId = runId;
    }

    @Override
    public void open(OpenContext openContext) {
        json = new ExampleJsonCodec(schema);
        binary = new ExampleBinaryCodec(schema);
        rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_METRIC);
    }

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<ScoreRequest> out) {
        // the topic stands in for a missing domain: requests need none
        DecodeResult result = ExampleBinaryCodec.isBinary(r.value)
                ? binary.decode(r.value, r.key, r.topic)
                : json.decode(r.value, r.key, r.topic);
        if (!result.isAccepted()) {
            rejected.inc();
            ctx.output(REJECTED, DeadLetter.of(r, result.reason().name(), result.detail(), runId));
            return;
        }
        Example e = result.example();
        ScoreRequest q = new ScoreRequest();
        q.id = e.id != null ? e.id : r.key != null ? r.key : r.topic + "-" + r.partition + "@" + r.offset;
        q.x = e.x;
        q.y = e.y;
        q.topic = r.topic;
        q.partition = r.partition;
        q.offset = r.offset;
        q.timestamp = r.timestamp;
        q.key = r.key;
        q.value = r.value;
        out.collect(q);
    }
}
