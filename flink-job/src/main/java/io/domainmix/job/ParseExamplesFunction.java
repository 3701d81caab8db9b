package io.domainmix.job;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates records — JSON ({@link ExampleJsonCodec}), or the compact binary format
 * ({@link ExampleBinaryCodec}, told apart by its first byte, which no JSON text starts with), so
 * producers may use either on the same topics. Valid examples go on, every rejected
 * record goes to {@link #REJECTED} as a {@link DeadLetter} and is counted in the
 * {@code rejectedRecords} metric. Never throws on bad data.
 *
 * <p>The domain of a record is its {@code domain} field, else its key, else its topic name without
 * the {@code <prefix>.} of per-domain topics.
 */
public final class ParseExamplesFunction extends ProcessFunction<RawRecord, Example> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected") {};
    public static final String REJECTED_METRIC = "rejectedRecords";
    public static final String ACCEPTED_METRIC = "acceptedRecords";

    private final ExampleSchema schema;
    private final String topicPrefix;
    private final String runId;
    private transient ExampleJsonCodec codec;
    private transient ExampleBinaryCodec binaryCodec;
    private transient Counter rejected;
    private transient Counter accepted;
    private transient String lastTopic;
    private transient String lastTopicDomain;

    public ParseExamplesFunction(ExampleSchema schema, String topicPrefix, String runId) {
        this.schema = schema;
        this.topicPrefix = topicPrefix + ".";
        this.runId = runId;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new ExampleJsonCodec(schema);
        binaryCodec = new ExampleBinaryCodec(schema);
        rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_METRIC);
        accepted = getRuntimeContext().getMetricGroup().counter(ACCEPTED_METRIC);
    }

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<Example> out) {
        String topicDomain = domainOfTopic(r.topic);
        DecodeResult result = ExampleBinaryCodec.isBinary(r.value)
                ? binaryCodec.decode(r.value, r.key, topicDomain)
                : codec.decode(r.value, r.key, topicDomain);
        if (result.isAccepted()) {
            accepted.inc();
            out.collect(result.example());
            return;
        }
        rejected.inc();
        ctx.output(REJECTED, DeadLetter.of(r, result.reason().name(), result.detail(), runId));
    }

    /** The domain a per-domain topic names: the topic without the prefix, or the whole topic. */
    String domainOfTopic(String topic) {
        if (topic == null) {
            return null;
        }
        // records come in runs of one partition, with the same topic string: no substring per record
        if (topic.equals(lastTopic)) {
            return lastTopicDomain;
        }
        lastTopic = topic;
        lastTopicDomain = topic.startsWith(topicPrefix) && topic.length() > topicPrefix.length()
                ? topic.substring(topicPrefix.length()) : topic;
        return lastTopicDomain;
    }
}
