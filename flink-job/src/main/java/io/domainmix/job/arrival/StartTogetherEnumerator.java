package io.domainmix.job.arrival;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * A split enumerator that hands out no split until every reader of the source has registered, so
 * that the readers start reading together.
 *
 * <p>Split alignment compares the watermarks of the readers that have reported one; a reader that
 * has no splits yet reports none. The Kafka enumerator assigns each reader its partitions as soon
 * as it registers, so on a loaded machine the first reader read a quarter of a backlog or more of
 * its own domains before the second one started, and the trainer saw those domains alone. Held
 * until all have registered, the readers get their splits in the same coordinator call.
 *
 * <p>The wrapped enumerator sees a context whose registered readers are none until all have
 * registered, then the real ones; after that the gate stays open, so a reader that restarts on its
 * own (a failover of one region) gets its splits back at once. A whole restart builds a new
 * enumerator, gated again.
 */
final class StartTogetherEnumerator<S extends SourceSplit, C> implements SplitEnumerator<S, C> {
    private final SplitEnumerator<S, C> enumerator;
    private final Gate<S> context;

    private StartTogetherEnumerator(SplitEnumerator<S, C> enumerator, Gate<S> context) {
        this.enumerator = enumerator;
        this.context = context;
    }

    /**
     * @param build builds the wrapped enumerator on the gated context
     */
    static <S extends SourceSplit, C> StartTogetherEnumerator<S, C> wrap(SplitEnumeratorContext<S> context,
            EnumeratorFactory<S, C> build) throws Exception {
        Gate<S> gate = new Gate<>(context);
        return new StartTogetherEnumerator<>(build.create(gate), gate);
    }

    /** Builds the wrapped enumerator on a context. */
    interface EnumeratorFactory<S extends SourceSplit, C> {
        SplitEnumerator<S, C> create(SplitEnumeratorContext<S> context) throws Exception;
    }

    @Override
    public void start() {
        enumerator.start();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // the Kafka enumerator pushes splits and ignores requests
        enumerator.handleSplitRequest(subtaskId, requesterHostname);
    }

    @Override
    public void addSplitsBack(List<S> splits, int subtaskId) {
        enumerator.addSplitsBack(splits, subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        if (context.open) {
            enumerator.addReader(subtaskId);
        } else if (context.allRegistered()) {
            context.open = true;
            // in subtask order, each as if it had just registered
            for (int reader : new TreeSet<>(context.delegate.registeredReaders().keySet())) {
                enumerator.addReader(reader);
            }
        }
    }

    @Override
    public C snapshotState(long checkpointId) throws Exception {
        return enumerator.snapshotState(checkpointId);
    }

    @Override
    public void close() throws IOException {
        enumerator.close();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        enumerator.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        enumerator.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        enumerator.handleSourceEvent(subtaskId, sourceEvent);
    }

    /** The context the wrapped enumerator sees: no registered readers until all have registered. */
    static final class Gate<S extends SourceSplit> implements SplitEnumeratorContext<S> {
        final SplitEnumeratorContext<S> delegate;
        /** Only touched in the coordinator thread, as every enumerator call is. */
        boolean open;

        Gate(SplitEnumeratorContext<S> delegate) {
            this.delegate = delegate;
        }

        boolean allRegistered() {
            return delegate.registeredReaders().size() >= delegate.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return open ? delegate.registeredReaders() : Collections.emptyMap();
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return delegate.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            delegate.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            delegate.sendEventToSourceReader(subtaskId, attemptNumber, event);
        }

        @Override
        public int currentParallelism() {
            return delegate.currentParallelism();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return open ? delegate.registeredReadersOfAttempts() : Collections.emptyMap();
        }

        @Override
        public void assignSplits(SplitsAssignment<S> newSplitAssignments) {
            delegate.assignSplits(newSplitAssignments);
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            delegate.signalNoMoreSplits(subtask);
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            delegate.callAsync(callable, handler);
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
            delegate.callAsync(callable, handler, initialDelay, period);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            delegate.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            delegate.setIsProcessingBacklog(isProcessingBacklog);
        }
    }
}
