package io.domainmix.job;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Decodes and validates one raw record, JSON ({@link ExampleJsonCodec}) or the compact binary
 * format ({@link ExampleBinaryCodec}, told apart by its first byte, which no JSON text starts
 * with), and counts what it accepts and rejects. Shared by the per-record and the per-chunk
 * decoders ({@link ParseExamplesFunction}, {@link ParseChunksFunction}); built in their
 * {@code open}.
 *
 * <p>The domain of a record is its {@code domain} field, else its key, else its topic name without
 * the {@code <prefix>.} of per-domain topics.
 */
final class RecordDecoder {
    static final String REJECTED_METRIC = "rejectedRecords";
    static final String ACCEPTED_METRIC = "acceptedRecords";

    private final String topicPrefix;
    private final ExampleJsonCodec codec;
    private final ExampleBinaryCodec binaryCodec;
    private final Counter rejected;
    private final Counter accepted;
    private String lastTopic;
    private String lastTopicDomain;

    /** @param topicPrefix the prefix of per-domain topics, with its dot */
    RecordDecoder(ExampleSchema schema, String topicPrefix, MetricGroup metrics) {
        this.topicPrefix = topicPrefix;
        this.codec = new ExampleJsonCodec(schema);
        this.binaryCodec = new ExampleBinaryCodec(schema);
        this.rejected = metrics.counter(REJECTED_METRIC);
        this.accepted = metrics.counter(ACCEPTED_METRIC);
    }

    /** The record's example or the reason it is rejected, counted either way. */
    DecodeResult decode(RawRecord r) {
        String topicDomain = domainOfTopic(r.topic);
        DecodeResult result = ExampleBinaryCodec.isBinary(r.value)
                ? binaryCodec.decode(r.value, r.key, topicDomain)
                : codec.decode(r.value, r.key, topicDomain);
        (result.isAccepted() ? accepted : rejected).inc();
        return result;
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
