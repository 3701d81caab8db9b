package io.domainmix.job.feedback;

import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.JobJson;
import io.domainmix.job.PublishedSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the run's snapshots from the snapshot topic. Polls without blocking on the task thread
 * (the topic carries a record every few seconds at most, so a short back-off costs nothing) and
 * tracks the next offset of each partition for checkpoints. With {@code stopAtLast} the input
 * ends at the run's snapshot marked final.
 */
final class SnapshotFeedbackReader implements SourceReader<ModelSnapshot, SnapshotTopicSplit> {
    private static final long IDLE_BACKOFF_MS = 50;

    private final Properties consumerProperties;
    private final String runId;
    private final boolean stopAtLast;

    private KafkaConsumer<byte[], byte[]> consumer;
    private String topic;
    private final Map<Integer, Long> nextOffsets = new TreeMap<>();
    private Iterator<ConsumerRecord<byte[], byte[]>> pending;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean finished;

    SnapshotFeedbackReader(Properties consumerProperties, String runId, boolean stopAtLast) {
        this.consumerProperties = consumerProperties;
        this.runId = runId;
        this.stopAtLast = stopAtLast;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<ModelSnapshot> output) {
        if (finished) {
            return InputStatus.END_OF_INPUT;
        }
        if (consumer == null) {
            return nothingUntil(available.isDone() ? new CompletableFuture<>() : available);
        }
        if (pending == null || !pending.hasNext()) {
            pending = consumer.poll(Duration.ZERO).iterator();
            if (!pending.hasNext()) {
                return nothingUntil(new CompletableFuture<Void>().completeOnTimeout(null, IDLE_BACKOFF_MS, TimeUnit.MILLISECONDS));
            }
        }
        ConsumerRecord<byte[], byte[]> r = pending.next();
        nextOffsets.put(r.partition(), r.offset() + 1);
        PublishedSnapshot p = JobJson.readSnapshot(r.value());
        if (p != null && runId.equals(p.snapshot.runId)) {
            output.collect(p.snapshot);
            if (p.last && stopAtLast) {
                finished = true;
                return InputStatus.END_OF_INPUT;
            }
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private InputStatus nothingUntil(CompletableFuture<Void> future) {
        available = future;
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<SnapshotTopicSplit> snapshotState(long checkpointId) {
        List<SnapshotTopicSplit> state = new ArrayList<>();
        if (topic != null) {
            state.add(new SnapshotTopicSplit(topic, nextOffsets));
        }
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<SnapshotTopicSplit> splits) {
        for (SnapshotTopicSplit split : splits) {
            if (consumer != null) {
                throw new IllegalStateException("the snapshot topic is already assigned: " + topic);
            }
            topic = split.topic();
            nextOffsets.putAll(split.nextOffsets());
            consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (Integer p : nextOffsets.keySet()) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            for (Map.Entry<Integer, Long> e : nextOffsets.entrySet()) {
                consumer.seek(new TopicPartition(topic, e.getKey()), e.getValue());
            }
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
