package org.apache.flink.connector.kafka.source.reader;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The consumer of a {@link KafkaPartitionSplitReader}, which the connector keeps package-private.
 * Used by {@code io.domainmix.job.arrival.MergingSplitReader}, which runs on the same fetcher
 * thread as the reader and needs the consumer's positions and lags (local reads, no broker call)
 * to merge its partitions. Like {@code KafkaSourceProperties}, it lives in the connector's package
 * so that the access is checked by the compiler.
 */
public final class KafkaSplitReaderConsumer {
    private KafkaSplitReaderConsumer() {}

    public static KafkaConsumer<byte[], byte[]> of(KafkaPartitionSplitReader reader) {
        return reader.consumer();
    }
}
