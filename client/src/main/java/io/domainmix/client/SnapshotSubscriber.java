package io.domainmix.client;

import io.domainmix.core.serve.ModelSource;
import io.domainmix.core.serve.ServingModel;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one training run's snapshot topic and keeps its newest version ready to predict with.
 *
 * <p>One background thread reads every partition of the topic from the beginning (the topic's
 * retention bounds that history; only the newest model is kept in memory) and then follows it.
 * Records of other runs and versions older than the one in use are passed over; a record that
 * is not a servable snapshot of the run is skipped with one log line, and the model in use
 * stays. The Kafka consumer reconnects by itself after a broker restart. No consumer group is
 * used: every service instance reads the whole topic.
 */
public final class SnapshotSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSubscriber.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final long PARTITION_CHECK_MS = 30_000;

    private final String topic;
    private final String runId;
    private final ModelSource source;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Predictor predictor = new Predictor();
    private final CountDownLatch first = new CountDownLatch(1);
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile String lastSkipReason;
    private volatile boolean closed;

    private SnapshotSubscriber(Properties kafka, String topic, String runId, ModelSource source) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.runId = Objects.requireNonNull(runId, "runId");
        this.source = Objects.requireNonNull(source, "source");
        Properties props = new Properties();
        props.putAll(kafka);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "domainmix-snapshots-" + runId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "domainmix-snapshots-" + runId);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following {@code topic} for the snapshots of {@code runId}.
     *
     * @param kafka consumer properties: at least {@code bootstrap.servers}, plus any security settings
     */
    public static SnapshotSubscriber start(Properties kafka, String topic, String runId, ModelSource source) {
        SnapshotSubscriber s = new SnapshotSubscriber(kafka, topic, runId, source);
        s.thread.start();
        return s;
    }

    /** As {@link #start(Properties, String, String, ModelSource)} with θ̄, on a plaintext broker. */
    public static SnapshotSubscriber start(String bootstrapServers, String topic, String runId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return start(p, topic, runId, ModelSource.AVERAGED);
    }

    /** Predicts with the newest version read so far. */
    public Predictor predictor() {
        return predictor;
    }

    /** Waits until a first snapshot of the run is in use; false when {@code timeout} passed first. */
    public boolean awaitFirst(Duration timeout) throws InterruptedException {
        return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records of the run that could not be used (not a snapshot, or not servable). */
    public long skippedRecords() {
        return skipped.get();
    }

    /** Why the last skipped record was skipped, or null. */
    public String lastSkipReason() {
        return lastSkipReason;
    }

    private void run() {
        List<TopicPartition> assigned = new ArrayList<>();
        long partitionsCheckedAt = 0;
        while (!closed) {
            try {
                long now = System.currentTimeMillis();
                if (assigned.isEmpty() || now - partitionsCheckedAt > PARTITION_CHECK_MS) {
                    partitionsCheckedAt = now;
                    List<TopicPartition> found = partitions();
                    if (found.size() > assigned.size()) {
                        List<TopicPartition> added = new ArrayList<>(found);
                        added.removeAll(assigned);
                        assigned = found;
                        consumer.assign(assigned);
                        consumer.seekToBeginning(added);
                    }
                    if (assigned.isEmpty()) {
                        sleep(RETRY);
                        continue;
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    accept(r);
                }
            } catch (WakeupException e) {
                // close() woke the poll
            } catch (KafkaException e) {
                if (!closed) {
                    LOG.warn("reading snapshot topic {} failed, retrying: {}", topic, e.toString());
                    sleep(RETRY);
                }
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> out = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos != null) {
            for (PartitionInfo p : infos) {
                out.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        return out;
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        ModelSnapshot s;
        try {
            s = SnapshotRecord.read(r.value());
        } catch (IllegalArgumentException e) {
            skip(r, e.getMessage());
            return;
        }
        if (!runId.equals(s.runId) || s.version <= predictor.version()) {
            return;
        }
        ServingModel model;
        try {
            model = ServingModel.of(s, source);
        } catch (IllegalArgumentException e) {
            skip(r, e.getMessage());
            return;
        }
        if (predictor.offer(model)) {
            first.countDown();
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, String reason) {
        skipped.incrementAndGet();
        lastSkipReason = reason;
        LOG.warn("skipped snapshot record {}-{}@{}: {}; keeping version {}",
                r.topic(), r.partition(), r.offset(), reason, predictor.version());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
