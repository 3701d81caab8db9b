package io.domainmix.job.arrival;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader;
import org.apache.flink.connector.kafka.source.reader.KafkaSplitReaderConsumer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The Kafka split reader of a paced source: it hands the reader's records on in the order of an
 * {@link ArrivalClock}, merged across its partitions, instead of partition by partition as the
 * consumer's fetches return them.
 *
 * <p>Fetches are at least as large as unpaced ones. What a fetch returns waits in a queue per partition,
 * and a record is handed on only when no partition could still deliver an earlier one (queued
 * partitions take turns {@link #MIN_RUN_RECORDS} records at a time): every
 * partition that has records left on the broker (its lag) has records queued, or its next
 * record's time is known to be later (a start backlog's position, or the last time it delivered).
 * A partition that has caught up with the broker holds nothing back, so live input passes through
 * as it is fetched and only a backlog is merged; one that delivers nothing for the idle time stops
 * holding the others back. The queues share a byte budget: a partition holding its share is paused
 * in the consumer until the merge has used its records, and one that lags the broker and has used
 * half its share gets a poll before it runs dry.
 *
 * <p>Queued records are not yet emitted, so a checkpoint's offsets are before them and a restore
 * reads them again. A partition finished by a bounded job is reported finished only after its
 * queued records.
 *
 * <p>It is also safe for frequent pausing, which split alignment of several readers does: pausing
 * a partition the consumer no longer holds is skipped (FLINK-39728), and an offset commit
 * interrupted by a pause's wake-up is retried.
 */
final class MergingSplitReader extends KafkaPartitionSplitReader {
    /** Records handed on in one batch at most, so that the task gets records while the rest are merged. */
    static final int MAX_BATCH_RECORDS = 1024;
    /**
     * Records a partition hands on in a row before the merge looks at the others again, as long
     * as none of them is held back by a partition that may still deliver earlier ones. The source
     * reader switches its per-split state at every change of split, which with partitions of
     * equal pace was every record; a few records of one domain in a row change nothing the
     * statistics or the trainer see.
     */
    static final int MIN_RUN_RECORDS = 8;
    /** Per-record bytes counted on top of key and value: a ConsumerRecord object, its headers and queue slot. */
    static final int RECORD_OVERHEAD_BYTES = 120;
    private static final int COMMIT_ATTEMPTS = 5;
    /**
     * How long closing the consumer may wait. Its close ends the broker's fetch session with a
     * fetch that the broker holds for {@code fetch.max.wait.ms} (500 ms by default) when there is
     * nothing to fetch, so a finished bounded source took half a second to close, in which a
     * checkpoint triggered at the task is declined as "task is closing". Not waiting loses nothing
     * that counts: the broker drops the session itself, and the offsets a restore uses are in the
     * checkpoint; a commit to the consumer group (for monitoring) still in flight gets these 100 ms.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(100);
    /**
     * Longest a partition paused by split alignment holds back its reader's merge (see {@link
     * #holdsBack}): long enough for a reader that starts late, or a loaded machine, not to set it off.
     */
    static final long MAX_HOLD_WHILE_ALIGNED_NANOS = 5_000_000_000L;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ArrivalClock clock;
    private final long budgetBytes;
    private final long idleNanos;
    private final Map<TopicPartition, PartitionQueue> queues = new HashMap<>();
    private final Map<String, PartitionQueue> bySplit = new HashMap<>();
    /** Partitions with queued records, earliest head first. */
    private final PriorityQueue<PartitionQueue> heads = new PriorityQueue<>(PartitionQueue::compareHeads);
    /** Partitions split alignment asked to pause (several readers keep pace with each other). */
    private final Map<TopicPartition, Long> pausedByAlignment = new HashMap<>();
    /** Finished splits with nothing queued, to be reported with the next batch. */
    private final Set<String> finishedToReport = new HashSet<>();
    private int nextIndex;

    /**
     * @param budgetBytes bytes all queues of this reader may hold together
     * @param idleMs after this long without records a lagging partition stops holding the others back; 0 for never
     */
    MergingSplitReader(Properties props, SourceReaderContext context, KafkaSourceReaderMetrics metrics,
                       ArrivalClock clock, long budgetBytes, long idleMs) {
        super(props, context, metrics);
        this.consumer = KafkaSplitReaderConsumer.of(this);
        this.clock = clock;
        this.budgetBytes = budgetBytes;
        this.idleNanos = idleMs * 1_000_000L;
    }

    @Override
    public RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetch() throws IOException {
        if (refillDue()) {
            take(super.fetch());
        }
        MergedRecords out = merge();
        if (out.isEmpty()) {
            // nothing can be handed on without more records: poll (blocks until a fetch returns)
            take(super.fetch());
            out = merge();
        }
        applyPauses();
        return out;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<KafkaPartitionSplit> change) {
        super.handleSplitsChanges(change);
        long now = System.nanoTime();
        for (KafkaPartitionSplit s : change.splits()) {
            TopicPartition tp = s.getTopicPartition();
            PartitionQueue q = new PartitionQueue(tp, s.splitId(), nextIndex++,
                    clock.partition(tp.topic(), tp.partition()), s.getStartingOffset(), now);
            queues.put(tp, q);
            bySplit.put(q.splitId, q);
        }
    }

    /**
     * Whether to poll before merging: a partition that still has records on the broker has used
     * half its share of the budget. The consumer hands on only what a poll asks for, and asks the
     * broker for more of a partition only once it has handed on all it held of it; polling only
     * when the merge has run dry made every refill a wait for the broker.
     */
    private boolean refillDue() {
        long half = share() / 2;
        for (PartitionQueue q : queues.values()) {
            if (!q.finished && !q.paused && !q.isEmpty() && q.bytes < half && lags(q)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a partition has records on the broker that it has not fetched (or its lag is not known yet). */
    private boolean lags(PartitionQueue q) {
        try {
            OptionalLong lag = consumer.currentLag(q.tp);
            return lag.isEmpty() || lag.getAsLong() > 0;
        } catch (IllegalStateException e) {
            return false; // no longer assigned
        }
    }

    /** Moves a fetch's records into the partitions' queues and notes the partitions it finished. */
    private void take(RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetched) {
        long now = System.nanoTime();
        String split;
        while ((split = fetched.nextSplit()) != null) {
            PartitionQueue q = bySplit.get(split);
            ConsumerRecord<byte[], byte[]> r;
            while ((r = fetched.nextRecordFromSplit()) != null) {
                boolean wasEmpty = q.isEmpty();
                q.add(r, now);
                if (wasEmpty) {
                    heads.add(q);
                }
            }
        }
        for (String s : fetched.finishedSplits()) {
            PartitionQueue q = bySplit.get(s);
            if (q == null || q.isEmpty()) {
                forget(s);
                finishedToReport.add(s);
            } else {
                q.finished = true;
            }
        }
        fetched.recycle();
    }

    /** Hands on queued records in clock order for as long as no partition could still deliver an earlier one. */
    private MergedRecords merge() {
        long now = System.nanoTime();
        double boundTime = Double.POSITIVE_INFINITY;
        long boundRank = Long.MAX_VALUE;
        int queued = 0;
        for (PartitionQueue q : queues.values()) {
            queued += q.size();
            if (q.isEmpty() && holdsBack(q, now) && q.compareNextTo(boundTime, boundRank) < 0) {
                boundTime = q.nextTimeBound();
                boundRank = q.nextRankBound();
            }
        }
        MergedRecords out = new MergedRecords(finishedToReport, Math.min(queued, MAX_BATCH_RECORDS));
        while (out.size() < MAX_BATCH_RECORDS && !heads.isEmpty()) {
            PartitionQueue q = heads.peek();
            if (q.compareHeadTo(boundTime, boundRank) >= 0) {
                break;
            }
            heads.poll();
            PartitionQueue next = heads.peek();
            int run = 0;
            do {
                out.add(q.splitId, q.poll());
                run++;
            } while (!q.isEmpty() && out.size() < MAX_BATCH_RECORDS && q.compareHeadTo(boundTime, boundRank) < 0
                    && (next == null || run < MIN_RUN_RECORDS || PartitionQueue.compareHeads(q, next) < 0));
            if (!q.isEmpty()) {
                heads.add(q);
            } else if (q.finished) {
                forget(q.splitId);
                out.finished(q.splitId);
            } else if (holdsBack(q, now) && q.compareNextTo(boundTime, boundRank) < 0) {
                boundTime = q.nextTimeBound();
                boundRank = q.nextRankBound();
            }
        }
        finishedToReport.removeAll(out.finishedSplits());
        return out;
    }

    /**
     * Whether an empty partition may still deliver records earlier than those queued: it has not
     * finished, has records left on the broker (or its lag is not known yet), and has not been
     * silent for the idle time.
     */
    private boolean holdsBack(PartitionQueue q, long now) {
        if (q.finished) {
            return false;
        }
        Long pausedAt = pausedByAlignment.get(q.tp);
        if (pausedAt != null && now - pausedAt > MAX_HOLD_WHILE_ALIGNED_NANOS) {
            // Alignment judges a partition by the last record it emitted, the merge by the next one.
            // In progress mode watermarks tell the next record's time, so the partition with the
            // earliest next record is never paused; with record timestamps a sparse partition can
            // hold the alignment's minimum while its next record lies after the paused one's, and
            // waiting would never end. Then the paused partition stops holding the others back.
            return false;
        }
        OptionalLong lag;
        try {
            lag = consumer.currentLag(q.tp);
        } catch (IllegalStateException e) {
            return false; // no longer assigned: finished and unassigned by the fetch that read its end
        }
        if (lag.isPresent() && lag.getAsLong() == 0) {
            q.lastActiveNanos = now;
            return false;
        }
        return idleNanos == 0 || now - q.lastActiveNanos < idleNanos;
    }

    private void forget(String splitId) {
        PartitionQueue q = bySplit.remove(splitId);
        if (q != null) {
            queues.remove(q.tp);
            pausedByAlignment.remove(q.tp);
        }
    }

    /** Bytes of records queued in all partitions, as counted against the budget. */
    long queuedBytes() {
        long sum = 0;
        for (PartitionQueue q : queues.values()) {
            sum += q.bytes;
        }
        return sum;
    }

    /** Each partition's share of the byte budget. */
    private long share() {
        return budgetBytes / Math.max(1, queues.size());
    }

    /** Pauses the partitions that hold their share of the budget or that alignment holds; resumes the others. */
    private void applyPauses() {
        long share = share();
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (PartitionQueue q : queues.values()) {
            boolean paused = q.bytes >= share || pausedByAlignment.containsKey(q.tp);
            if (paused != q.paused && assigned.contains(q.tp)) {
                q.paused = paused;
                (paused ? pause : resume).add(q.tp);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    @Override
    public void pauseOrResumeSplits(Collection<KafkaPartitionSplit> toPause, Collection<KafkaPartitionSplit> toResume) {
        for (KafkaPartitionSplit s : toResume) {
            pausedByAlignment.remove(s.getTopicPartition());
        }
        long now = System.nanoTime();
        for (KafkaPartitionSplit s : toPause) {
            if (queues.containsKey(s.getTopicPartition())) {
                pausedByAlignment.putIfAbsent(s.getTopicPartition(), now);
            }
        }
        applyPauses();
    }

    @Override
    public void close() {
        consumer.close(CLOSE_TIMEOUT);
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

    /**
     * One partition's fetched records not yet handed on, and where its next record falls on the
     * clock. Each record's clock time and counted bytes are kept beside it, worked out when the
     * record is taken from the fetch: the merge then compares and counts without reading the
     * record again, which by then has usually left the processor's caches.
     */
    static final class PartitionQueue {
        private static final int INITIAL_CAPACITY = 64;

        final TopicPartition tp;
        final String splitId;
        /** Breaks ties between partitions, in the order they were assigned. */
        final int index;
        final ArrivalClock.Partition clock;
        /** A ring of queued records from {@code first}, {@code size} long, with each one's time and bytes. */
        private ConsumerRecord<byte[], byte[]>[] records = newRecords(INITIAL_CAPACITY);
        private double[] times = new double[INITIAL_CAPACITY];
        private int[] sizes = new int[INITIAL_CAPACITY];
        private int first;
        private int size;
        long bytes;
        boolean finished;
        boolean paused;
        long lastActiveNanos;
        /** Offset of the next record to arrive (a sentinel below 0 until the first record when the split starts at a named position). */
        long nextOffset;
        /** Time and rank of the head record; the rank counts the records of equal time before it. */
        double headTime;
        long headRank;
        /** Time and rank of the last record handed on or taken, which the next one does not precede. */
        double lastTime = Double.NEGATIVE_INFINITY;
        long lastRank = -1;
        boolean seen;

        PartitionQueue(TopicPartition tp, String splitId, int index, ArrivalClock.Partition clock, long startingOffset,
                       long now) {
            this.tp = tp;
            this.splitId = splitId;
            this.index = index;
            this.clock = clock;
            this.nextOffset = startingOffset;
            this.lastActiveNanos = now;
        }

        @SuppressWarnings("unchecked")
        private static ConsumerRecord<byte[], byte[]>[] newRecords(int capacity) {
            return (ConsumerRecord<byte[], byte[]>[]) new ConsumerRecord<?, ?>[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        void add(ConsumerRecord<byte[], byte[]> r, long now) {
            if (size == records.length) {
                grow();
            }
            int slot = (first + size) & (records.length - 1);
            records[slot] = r;
            times[slot] = clock.time(r.offset(), r.timestamp());
            sizes[slot] = r.serializedKeySize() + Math.max(0, r.serializedValueSize()) + RECORD_OVERHEAD_BYTES;
            bytes += sizes[slot];
            if (size++ == 0) {
                setHead(times[slot]);
            }
            nextOffset = r.offset() + 1;
            lastActiveNanos = now;
        }

        ConsumerRecord<byte[], byte[]> poll() {
            ConsumerRecord<byte[], byte[]> r = records[first];
            records[first] = null;
            bytes -= sizes[first];
            lastTime = headTime;
            lastRank = headRank;
            seen = true;
            first = (first + 1) & (records.length - 1);
            if (--size > 0) {
                setHead(times[first]);
            }
            return r;
        }

        /** Doubles the ring (its length stays a power of two), its records from index 0. */
        private void grow() {
            int capacity = records.length * 2;
            ConsumerRecord<byte[], byte[]>[] r = newRecords(capacity);
            double[] t = new double[capacity];
            int[] b = new int[capacity];
            int head = records.length - first;
            System.arraycopy(records, first, r, 0, head);
            System.arraycopy(records, 0, r, head, first);
            System.arraycopy(times, first, t, 0, head);
            System.arraycopy(times, 0, t, head, first);
            System.arraycopy(sizes, first, b, 0, head);
            System.arraycopy(sizes, 0, b, head, first);
            records = r;
            times = t;
            sizes = b;
            first = 0;
        }

        private void setHead(double time) {
            headTime = time;
            headRank = time == lastTime ? lastRank + 1 : 0;
        }

        /** A lower bound of the time of the next record to arrive while the queue is empty. */
        double nextTimeBound() {
            if (nextOffset >= 0 && clock.inBacklog(nextOffset)) {
                return clock.time(nextOffset, 0);
            }
            return seen ? lastTime : Double.NEGATIVE_INFINITY;
        }

        long nextRankBound() {
            return nextOffset >= 0 && clock.inBacklog(nextOffset) ? 0 : lastRank + 1;
        }

        int compareHeadTo(double time, long rank) {
            int c = Double.compare(headTime, time);
            return c != 0 ? c : Long.compare(headRank, rank);
        }

        int compareNextTo(double time, long rank) {
            int c = Double.compare(nextTimeBound(), time);
            return c != 0 ? c : Long.compare(nextRankBound(), rank);
        }

        static int compareHeads(PartitionQueue a, PartitionQueue b) {
            int c = Double.compare(a.headTime, b.headTime);
            if (c == 0) {
                c = Long.compare(a.headRank, b.headRank);
            }
            return c != 0 ? c : Integer.compare(a.index, b.index);
        }
    }

    /** A batch of merged records: runs of one split each, in the order they are handed on. */
    static final class MergedRecords implements RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> {
        private final List<ConsumerRecord<byte[], byte[]>> records;
        /** The split of each run of consecutive records of one split (at most one run a record). */
        private final List<String> runSplits;
        /** Where each run ends in {@link #records} (exclusive). */
        private int[] runEnds;
        private final Set<String> finished;
        private int run = -1;
        private int position;

        /** @param capacity records it will likely hold */
        MergedRecords(Set<String> finished, int capacity) {
            this.records = new ArrayList<>(capacity);
            this.runSplits = new ArrayList<>(Math.max(1, capacity));
            this.runEnds = new int[Math.max(1, capacity)];
            this.finished = new HashSet<>(finished);
        }

        void add(String splitId, ConsumerRecord<byte[], byte[]> r) {
            int last = runSplits.size() - 1;
            if (last < 0 || !runSplits.get(last).equals(splitId)) {
                runSplits.add(splitId);
                last++;
                if (last == runEnds.length) {
                    runEnds = java.util.Arrays.copyOf(runEnds, 2 * last);
                }
            }
            records.add(r);
            runEnds[last] = records.size();
        }

        void finished(String splitId) {
            finished.add(splitId);
        }

        int size() {
            return records.size();
        }

        boolean isEmpty() {
            return records.isEmpty() && finished.isEmpty();
        }

        @Override
        public String nextSplit() {
            if (run + 1 >= runSplits.size()) {
                return null;
            }
            run++;
            return runSplits.get(run);
        }

        @Override
        public ConsumerRecord<byte[], byte[]> nextRecordFromSplit() {
            return run >= 0 && position < runEnds[run] ? records.get(position++) : null;
        }

        @Override
        public Set<String> finishedSplits() {
            return finished;
        }
    }
}
