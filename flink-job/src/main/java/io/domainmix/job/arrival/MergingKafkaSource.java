package io.domainmix.job.arrival;

import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceProperties;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaRecordEmitter;
import org.apache.flink.connector.kafka.source.reader.KafkaSourceReader;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.fetcher.KafkaSourceFetcherManager;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A {@link KafkaSource} whose readers hand on their records merged across partitions in the order
 * of an {@link ArrivalClock} ({@link MergingSplitReader}), and whose readers start together
 * ({@link StartTogetherEnumerator}). Enumeration, splits, checkpoints and offset commits are the
 * connector's own.
 */
public final class MergingKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;
    /** Merged batches waiting for the task, as many as the connector's readers keep. */
    private static final int BATCHES_QUEUED = 2;

    private final KafkaSource<T> source;
    private final KafkaRecordDeserializationSchema<T> deserializer;
    private final Properties props;
    private final ArrivalClock clock;
    private final long budgetBytes;
    private final long idleMs;

    /**
     * @param budgetBytes bytes a reader may hold in its partitions' queues together
     * @param idleMs after this long without records a lagging partition stops holding the others back; 0 for never
     */
    private MergingKafkaSource(KafkaSource<T> source, KafkaRecordDeserializationSchema<T> deserializer,
                               ArrivalClock clock, long budgetBytes, long idleMs) {
        this.source = source;
        this.deserializer = deserializer;
        this.props = KafkaSourceProperties.of(source);
        this.clock = clock;
        this.budgetBytes = budgetBytes;
        this.idleMs = idleMs;
    }

    /** Merges by record timestamps ({@link ArrivalOrder#EVENT_TIME}). */
    public static <T> MergingKafkaSource<T> byEventTime(KafkaSource<T> source, KafkaRecordDeserializationSchema<T> deserializer,
                                                        long budgetBytes, long idleMs) {
        return new MergingKafkaSource<>(source, deserializer, ArrivalClock.eventTime(), budgetBytes, idleMs);
    }

    /** Merges by progress through the start backlog, spread over {@code spanMs} ({@link ArrivalOrder#PROGRESS}). */
    public static <T> MergingKafkaSource<T> byProgress(KafkaSource<T> source, KafkaRecordDeserializationSchema<T> deserializer,
                                                       StartBacklog backlog, long spanMs, long budgetBytes, long idleMs) {
        return new MergingKafkaSource<>(source, deserializer, ArrivalClock.progress(backlog, spanMs), budgetBytes, idleMs);
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        FutureCompletingBlockingQueue<RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>>> queue =
                new FutureCompletingBlockingQueue<>(BATCHES_QUEUED);
        KafkaSourceReaderMetrics metrics = new KafkaSourceReaderMetrics(context.metricGroup());
        KafkaSourceFetcherManager fetchers = new KafkaSourceFetcherManager(queue,
                () -> new MergingSplitReader(props, context, metrics, clock, budgetBytes, idleMs), finished -> { });
        Configuration config = new Configuration();
        props.stringPropertyNames().forEach(k -> config.setString(k, props.getProperty(k)));
        return new KafkaSourceReader<>(queue, fetchers, new KafkaRecordEmitter<>(deserializer), config, context, metrics);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return StartTogetherEnumerator.wrap(context, source::createEnumerator);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws Exception {
        return StartTogetherEnumerator.wrap(context, gated -> source.restoreEnumerator(gated, state));
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return source.getProducedType();
    }
}
