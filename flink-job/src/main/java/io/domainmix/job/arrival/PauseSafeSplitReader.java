package io.domainmix.job.arrival;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The Kafka split reader, made safe for frequent pausing: pausing or resuming a partition the
 * consumer no longer holds is skipped, and an offset commit interrupted by a wake-up is retried,
 * instead of failing the source.
 *
 * <p>Alignment decides to pause a partition on the task thread; the reader's fetcher thread may
 * have finished that partition (a bounded job at its stopping offset, an empty partition) and
 * unassigned it before the request arrives, and the consumer then throws "No current assignment
 * for partition" (FLINK-39728, fixed in later connector releases). A finished partition needs no
 * pausing, so skipping it loses nothing.
 */
final class PauseSafeSplitReader extends KafkaPartitionSplitReader {
    private static final int COMMIT_ATTEMPTS = 5;

    PauseSafeSplitReader(Properties props, SourceReaderContext context, KafkaSourceReaderMetrics metrics) {
        super(props, context, metrics);
    }

    /**
     * Every pause or resume request wakes the consumer so that a waiting poll returns; a wake-up
     * that arrives while the fetcher commits offsets interrupts the commit instead (the consumer
     * throws at its next blocking call). With alignment pausing partitions every few milliseconds
     * this happens within seconds, so the commit is retried: the wake-up is consumed by the throw.
     */
    @Override
    public void notifyCheckpointComplete(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        for (int attempt = 1; ; attempt++) {
            try {
                super.notifyCheckpointComplete(offsets, callback);
                return;
            } catch (WakeupException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void pauseOrResumeSplits(Collection<KafkaPartitionSplit> toPause, Collection<KafkaPartitionSplit> toResume) {
        for (KafkaPartitionSplit s : toResume) {
            applySkippingUnassigned(List.of(), List.of(s));
        }
        for (KafkaPartitionSplit s : toPause) {
            applySkippingUnassigned(List.of(s), List.of());
        }
    }

    private void applySkippingUnassigned(List<KafkaPartitionSplit> pause, List<KafkaPartitionSplit> resume) {
        try {
            super.pauseOrResumeSplits(pause, resume);
        } catch (IllegalStateException e) {
            // the consumer's message for a partition it does not hold; anything else is a real failure
            if (e.getMessage() == null || !e.getMessage().startsWith("No current assignment")) {
                throw e;
            }
        }
    }
}
