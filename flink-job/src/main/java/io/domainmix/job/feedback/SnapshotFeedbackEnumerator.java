package io.domainmix.job.feedback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Hands the one split (the whole snapshot topic) to reader 0. A fresh job starts at the end of
 * the topic as it is when the job starts — older snapshots belong to earlier runs or attempts,
 * and the job must not evaluate under them or stop at an old final snapshot — which is read from
 * the broker once, off the coordinator thread.
 */
final class SnapshotFeedbackEnumerator implements SplitEnumerator<SnapshotTopicSplit, FeedbackEnumeratorState> {
    private final SplitEnumeratorContext<SnapshotTopicSplit> context;
    private final String topic;
    private final Properties consumerProperties;
    private final List<SnapshotTopicSplit> unassigned;
    private boolean discovered;

    SnapshotFeedbackEnumerator(SplitEnumeratorContext<SnapshotTopicSplit> context, String topic,
                               Properties consumerProperties, FeedbackEnumeratorState restored) {
        this.context = context;
        this.topic = topic;
        this.consumerProperties = consumerProperties;
        this.discovered = restored != null && restored.discovered();
        this.unassigned = new ArrayList<>(restored == null ? List.of() : restored.unassigned());
    }

    @Override
    public void start() {
        if (!discovered) {
            context.callAsync(this::endOffsets, (split, error) -> {
                if (error != null) {
                    throw new FlinkRuntimeException("cannot read the end offsets of snapshot topic " + topic, error);
                }
                discovered = true;
                unassigned.add(split);
                assign();
            });
        }
    }

    private SnapshotTopicSplit endOffsets() {
        Properties p = new Properties();
        p.putAll(consumerProperties);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("snapshot topic " + topic + " does not exist (create it, or run the job "
                        + "with --create-topics true)");
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<Integer, Long> offsets = new HashMap<>();
            consumer.endOffsets(partitions, Duration.ofSeconds(60)).forEach((tp, o) -> offsets.put(tp.partition(), o));
            return new SnapshotTopicSplit(topic, offsets);
        }
    }

    private void assign() {
        if (!unassigned.isEmpty() && context.registeredReaders().containsKey(0)) {
            for (SnapshotTopicSplit s : unassigned) {
                context.assignSplit(s, 0);
            }
            unassigned.clear();
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // splits are pushed, never requested
    }

    @Override
    public void addSplitsBack(List<SnapshotTopicSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        assign();
    }

    @Override
    public FeedbackEnumeratorState snapshotState(long checkpointId) {
        return new FeedbackEnumeratorState(discovered, unassigned);
    }

    @Override
    public void close() {}
}
