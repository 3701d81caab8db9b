package io.domainmix.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Passes records on and throws once, after a checkpoint has completed and this subtask has
 * passed on {@code after} records, so that the job restores from that checkpoint. The first
 * attempt is slowed a little so that checkpoints complete mid-stream. The flags are static (the
 * function is copied into the tasks); {@link #reset} before each job.
 */
final class FailOnceAfterCheckpoint implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();

    private final long after;
    private final long slowEvery;
    private final long slowMs;
    private long seen;

    FailOnceAfterCheckpoint(long after, long slowEvery, long slowMs) {
        this.after = after;
        this.slowEvery = slowEvery;
        this.slowMs = slowMs;
    }

    static void reset() {
        FAILED.set(false);
        COMPLETED_CHECKPOINTS.set(0);
    }

    /** Two restarts at most, 200 ms apart: one is needed, a second would show a bug. */
    static void restartTwice(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(conf);
    }

    @Override
    public RawRecord map(RawRecord r) throws Exception {
        seen++;
        if (!FAILED.get()) {
            if (seen % slowEvery == 0) {
                Thread.sleep(slowMs);
            }
            if (seen >= after && COMPLETED_CHECKPOINTS.get() >= 1 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        COMPLETED_CHECKPOINTS.incrementAndGet();
    }
}
