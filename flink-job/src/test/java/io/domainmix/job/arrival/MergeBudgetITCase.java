package io.domainmix.job.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.job.RawRecord;
import io.domainmix.job.RawRecordDeserializer;
import io.domainmix.testkit.InProcessKafka;
import io.domainmix.testkit.KafkaTopics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceProperties;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaSplitReaderConsumer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The merge's byte budget, on the test broker: a reader whose queues hold their share is paused
 * in the consumer, its queues stay within the budget plus one poll's records, and nothing is lost
 * or reordered. Partition "late" holds records stamped after all of partition "early"'s, so
 * the merge must hold late's records until early's are used: with a small budget late is paused
 * while it waits; with a budget larger than both partitions nothing is paused (the control).
 */
class MergeBudgetITCase {
    static final int RECORDS = 3_000;
    static final int FETCH_BYTES = 8 * 1024;
    static final long SMALL_BUDGET = 16 * 1024;
    static final int POLL_RECORDS = 500;
    static final int VALUE_BYTES = 80;

    /** What the runs saw: records in order, whether a partition was ever paused, the most queued. */
    record Run(List<ConsumerRecord<byte[], byte[]>> records, Set<String> everPaused, long maxQueued) {}

    static String produce() throws Exception {
        KafkaTopics topics = InProcessKafka.shared().topics();
        String prefix = KafkaTopics.unique("budget");
        topics.create(1, prefix + ".early", prefix + ".late");
        try (KafkaProducer<byte[], byte[]> p = topics.producer()) {
            byte[] value = new byte[VALUE_BYTES];
            for (int i = 0; i < RECORDS; i++) {
                p.send(new ProducerRecord<>(prefix + ".late", null, 1_000_000L + i, null, value));
                p.send(new ProducerRecord<>(prefix + ".early", null, 1_000L + i, null, value));
            }
            p.flush();
        }
        return prefix;
    }

    static Run read(String prefix, long budget) throws Exception {
        Properties client = InProcessKafka.shared().topics().clientProperties();
        client.setProperty("max.partition.fetch.bytes", String.valueOf(FETCH_BYTES));
        client.setProperty("max.poll.records", String.valueOf(POLL_RECORDS));
        KafkaSource<RawRecord> source = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(InProcessKafka.shared().bootstrapServers())
                .setProperties(client)
                .setGroupId(prefix)
                .setTopics(prefix + ".early", prefix + ".late")
                .setDeserializer(new RawRecordDeserializer())
                .build();
        SourceReaderContext context = new ReaderContext();
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        Set<String> everPaused = new HashSet<>();
        long maxQueued = 0;
        try (MergingSplitReader reader = new MergingSplitReader(KafkaSourceProperties.of(source), context,
                new KafkaSourceReaderMetrics(context.metricGroup()), ArrivalClock.eventTime(), budget, 0)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(
                    new KafkaPartitionSplit(new TopicPartition(prefix + ".early", 0), 0, RECORDS),
                    new KafkaPartitionSplit(new TopicPartition(prefix + ".late", 0), 0, RECORDS))));
            Set<String> finished = new HashSet<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (finished.size() < 2 && System.nanoTime() < deadline) {
                RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> batch = reader.fetch();
                String split;
                while ((split = batch.nextSplit()) != null) {
                    ConsumerRecord<byte[], byte[]> r;
                    while ((r = batch.nextRecordFromSplit()) != null) {
                        seen.add(r);
                    }
                }
                finished.addAll(batch.finishedSplits());
                maxQueued = Math.max(maxQueued, reader.queuedBytes());
                KafkaSplitReaderConsumer.of(reader).paused().forEach(tp -> everPaused.add(tp.topic()));
            }
        }
        return new Run(seen, everPaused, maxQueued);
    }

    @Test
    void aPartitionHoldingItsShareIsPausedAndNothingIsLost() throws Exception {
        String prefix = produce();
        Run small = read(prefix, SMALL_BUDGET);
        assertEquals(2 * RECORDS, small.records().size(), "every record, once");
        for (int i = 1; i < small.records().size(); i++) {
            assertTrue(small.records().get(i - 1).timestamp() <= small.records().get(i).timestamp(),
                    "in clock order at " + i);
        }
        assertTrue(small.everPaused().contains(prefix + ".late"), "late waited with its share queued: " + small.everPaused());
        // the consumer pauses a partition for the next poll; one poll may still bring a poll's records
        long onePoll = (long) POLL_RECORDS * (VALUE_BYTES + MergingSplitReader.RECORD_OVERHEAD_BYTES);
        assertTrue(small.maxQueued() <= SMALL_BUDGET + onePoll,
                "queued " + small.maxQueued() + " bytes against a budget of " + SMALL_BUDGET);

        Run large = read(prefix, 64L * 1024 * 1024);
        assertEquals(2 * RECORDS, large.records().size());
        assertTrue(large.everPaused().isEmpty(), "nothing paused within a large budget: " + large.everPaused());
    }

    /** The reader's view of its task: a subtask of one, with metrics that go nowhere. */
    static final class ReaderContext implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {}

        @Override
        public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
