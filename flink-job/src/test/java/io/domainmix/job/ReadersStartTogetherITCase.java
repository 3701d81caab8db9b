package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.job.arrival.MergingKafkaSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.junit.jupiter.api.Test;

/**
 * The paced source's readers start together: the Kafka connector's enumerator, on the test
 * broker, in Flink's enumerator test context, assigns no partition while only some readers have
 * registered, and all partitions to all readers when the last one registers. Without the gate the
 * first reader gets its partitions at once (the control), which let it run a quarter of a backlog
 * ahead of a reader that started a second later.
 */
class ReadersStartTogetherITCase {
    static final int READERS = 2;

    static KafkaSource<RawRecord> kafka(String prefix) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(TestKafka.bootstrapServers())
                .setProperties(TestKafka.clientProperties())
                .setGroupId(prefix)
                .setTopicPattern(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "\\..*"))
                .setDeserializer(new RawRecordDeserializer())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .build();
    }

    /** Four topics of two partitions: the connector gives each of two readers one partition of each. */
    static String topics() {
        String prefix = TestKafka.unique("together");
        TestKafka.createTopics(2, prefix + ".d1", prefix + ".d2", prefix + ".d3", prefix + ".d4");
        return prefix;
    }

    /** Runs the enumerator's partition discovery (a listing, then the splits' offsets) to its end. */
    static void discover(MockSplitEnumeratorContext<KafkaPartitionSplit> context) throws Throwable {
        while (!context.getOneTimeCallables().isEmpty()) {
            context.runNextOneTimeCallable();
        }
    }

    static void register(MockSplitEnumeratorContext<KafkaPartitionSplit> context,
                         SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator, int reader) {
        context.registerReader(new ReaderInfo(reader, "localhost"));
        enumerator.addReader(reader);
    }

    static Map<Integer, List<KafkaPartitionSplit>> assigned(MockSplitEnumeratorContext<KafkaPartitionSplit> context) {
        Map<Integer, List<KafkaPartitionSplit>> byReader = new java.util.TreeMap<>();
        for (SplitsAssignment<KafkaPartitionSplit> a : context.getSplitsAssignmentSequence()) {
            a.assignment().forEach((reader, splits) -> byReader.computeIfAbsent(reader, r -> new ArrayList<>()).addAll(splits));
        }
        return byReader;
    }

    @Test
    void noReaderGetsPartitionsUntilAllHaveRegistered() throws Throwable {
        String prefix = topics();
        MergingKafkaSource<RawRecord> source = MergingKafkaSource.byEventTime(kafka(prefix), new RawRecordDeserializer(), 1 << 20, 0);
        try (MockSplitEnumeratorContext<KafkaPartitionSplit> context = new MockSplitEnumeratorContext<>(READERS);
             SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator = source.createEnumerator(context)) {
            enumerator.start();
            register(context, enumerator, 0);
            discover(context);
            assertTrue(context.getSplitsAssignmentSequence().isEmpty(),
                    "a partition was assigned while one reader of two had registered: " + assigned(context));
            assertFalse(context.hasNoMoreSplits(0), "reader 0 was told there are no more splits before it got any");

            register(context, enumerator, 1);
            Map<Integer, List<KafkaPartitionSplit>> byReader = assigned(context);
            Set<String> partitions = new HashSet<>();
            byReader.values().forEach(splits -> splits.forEach(s -> partitions.add(s.splitId())));
            assertEquals(8, partitions.size(), "every partition assigned once both registered: " + byReader);
            assertEquals(Set.of(0, 1), byReader.keySet(), "both readers got partitions: " + byReader);
            assertTrue(context.hasNoMoreSplits(0) && context.hasNoMoreSplits(1), "a bounded input tells both readers it has no more");

            // a reader that restarts on its own gets its partitions back at once, not after a new gate
            List<KafkaPartitionSplit> reader0 = byReader.get(0);
            context.unregisterReader(0);
            enumerator.addSplitsBack(reader0, 0);
            int before = context.getSplitsAssignmentSequence().size();
            register(context, enumerator, 0);
            assertEquals(before + 1, context.getSplitsAssignmentSequence().size(), "the restarted reader's partitions come back");
        }
    }

    /** The control: the connector's own enumerator assigns the first reader its partitions alone. */
    @Test
    void withoutTheGateTheFirstReaderStartsAlone() throws Throwable {
        String prefix = topics();
        try (MockSplitEnumeratorContext<KafkaPartitionSplit> context = new MockSplitEnumeratorContext<>(READERS);
             SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator = kafka(prefix).createEnumerator(context)) {
            enumerator.start();
            register(context, enumerator, 0);
            discover(context);
            Map<Integer, List<KafkaPartitionSplit>> byReader = assigned(context);
            assertEquals(Set.of(0), byReader.keySet(), "the first reader got its partitions before the second registered");
        }
    }
}
