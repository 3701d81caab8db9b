package io.domainmix.job.arrival;

import io.domainmix.job.JobOptions.StartOffsets;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The backlog of every example partition when the job was built: its start offset (where the job
 * begins reading) and its end offset (the latest offset then). It defines the virtual clock of
 * {@link ArrivalOrder#PROGRESS}.
 *
 * <p>Every partition's backlog is spread over the same virtual span S ending at the build time: a
 * record at offset o of a partition with backlog [s, e) has the time {@code t₀ − S + S · (o − s) / (e − s)}.
 * So all partitions reach the end of their backlog together, and an allowed drift D lets a
 * partition run D / S of its backlog ahead of the slowest. Records outside a known backlog (live
 * ones, partitions created later) keep their own timestamps, which begin about where the virtual
 * span ends.
 */
public final class StartBacklog implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, long[]> ranges;
    private final long measuredAtMs;

    /**
     * @param ranges per {@link #key(String, int)}: {start offset, end offset}
     * @param measuredAtMs the wall-clock time the backlog was measured
     */
    public StartBacklog(Map<String, long[]> ranges, long measuredAtMs) {
        this.ranges = new HashMap<>();
        for (Map.Entry<String, long[]> e : ranges.entrySet()) {
            long[] r = e.getValue();
            if (r[1] > r[0]) {
                this.ranges.put(e.getKey(), new long[] {r[0], r[1]});
            }
        }
        this.measuredAtMs = measuredAtMs;
    }

    /**
     * Measures the backlog of the given topics (or of every topic matching the pattern when the
     * list is empty) from where a fresh job starts reading to the latest offsets.
     */
    public static StartBacklog measure(Admin admin, List<String> topics, Pattern pattern, StartOffsets start,
                                       String groupId) throws InterruptedException, ExecutionException, TimeoutException {
        long now = System.currentTimeMillis();
        List<String> names = new ArrayList<>(topics);
        if (names.isEmpty()) {
            for (String t : admin.listTopics().names().get(60, TimeUnit.SECONDS)) {
                if (pattern.matcher(t).matches()) {
                    names.add(t);
                }
            }
        }
        Map<String, long[]> ranges = new HashMap<>();
        if (names.isEmpty() || start == StartOffsets.LATEST) {
            return new StartBacklog(ranges, now);
        }
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> from = admin.listOffsets(earliest).all().get(60, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> to = admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = start == StartOffsets.COMMITTED
                ? admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS)
                : Map.of();
        for (TopicPartition tp : earliest.keySet()) {
            long s = from.get(tp).offset();
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                s = Math.max(s, c.offset());
            }
            ranges.put(key(tp.topic(), tp.partition()), new long[] {s, to.get(tp).offset()});
        }
        return new StartBacklog(ranges, now);
    }

    /** The virtual time of the first record of every backlog spread over {@code spanMs}. */
    public long start(long spanMs) {
        return measuredAtMs - spanMs;
    }

    public static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** The partition's start backlog {start offset, end offset}, or null when it had none. */
    long[] range(String topic, int partition) {
        long[] r = ranges.get(key(topic, partition));
        return r == null ? null : r.clone();
    }

    /** Partitions with a non-empty backlog. */
    public int partitions() {
        return ranges.size();
    }

    public long total() {
        long n = 0;
        for (long[] r : ranges.values()) {
            n += r[1] - r[0];
        }
        return n;
    }
}
