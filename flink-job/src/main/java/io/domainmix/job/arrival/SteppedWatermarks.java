package io.domainmix.job.arrival;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * A partition's watermark, raised as records arrive whenever it has crossed the next multiple of
 * {@code step}. Alignment compares a partition's watermark with the allowed limit when the
 * watermark changes; raised only periodically (every 200 ms by default), a partition could run a
 * whole fetch past the limit before it is paused. Raising it on every record would also send a
 * watermark downstream for nearly every record, and each one flushes the batches of the exchange;
 * in steps of a quarter of the drift a partition overshoots the limit by at most a quarter.
 *
 * <p>Before its first record a partition's watermark is {@code start}: nothing is paused until
 * every partition of a reader has a watermark, so without one the first partitions to be fetched
 * would run a whole fetch ahead of those fetched last. With it, the partitions that have records
 * wait at the start for the others' first records (or, unbounded, until an empty one is idle).
 *
 * <p>Idleness: a partition without records for {@code idleMs} of wall-clock time stops holding the
 * others back by letting its watermark follow the wall clock ({@code now − idleMs}), instead of
 * being marked idle. Flink drops the end-of-input watermark of a drained stop-with-savepoint when
 * the source's output is marked idle (FLINK-40499), which would leave the final snapshot and
 * metrics unpublished; a watermark that follows the clock never marks anything idle. Record
 * timestamps (event time) and the progress clock (a backlog spread over the time before the job
 * started, then record time) are both wall-clock times, so an idle partition's watermark is ahead
 * of any backlog and level with live records: it holds back nothing, and when it receives records
 * again they wait, as they should, for the partitions that are behind them.
 */
final class SteppedWatermarks<T> implements WatermarkGenerator<T> {
    private final long step;
    private final long start;
    private final long idleMs;
    private final WallClock clock;
    private long max = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;
    private boolean recordsSinceLastPeriodicEmit;
    private long lastActiveAt = Long.MIN_VALUE;

    /** Wall-clock milliseconds; a seam for tests. */
    interface WallClock extends java.io.Serializable {
        long now();
    }

    SteppedWatermarks(long step, long start) {
        this(step, start, 0, System::currentTimeMillis);
    }

    /** @param idleMs after this long without a record the watermark follows the clock; 0 for never */
    SteppedWatermarks(long step, long start, long idleMs, WallClock clock) {
        this.step = Math.max(1, step);
        this.start = start;
        this.idleMs = idleMs;
        this.clock = clock;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        recordsSinceLastPeriodicEmit = true;
        if (timestamp > max) {
            max = timestamp;
            long level = Math.floorDiv(max, step) * step - 1;
            if (level > emitted) {
                emitted = level;
                output.emitWatermark(new Watermark(level));
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (emitted == Long.MIN_VALUE && max == Long.MIN_VALUE) {
            emitted = start;
            output.emitWatermark(new Watermark(start));
        } else if (max != Long.MIN_VALUE && max - 1 > emitted) {
            emitted = max - 1;
            output.emitWatermark(new Watermark(emitted));
        }
        if (idleMs > 0) {
            // checked once a period rather than timed per record: the clock is read here only
            long now = clock.now();
            if (recordsSinceLastPeriodicEmit || lastActiveAt == Long.MIN_VALUE) {
                recordsSinceLastPeriodicEmit = false;
                lastActiveAt = now;
            } else if (now - lastActiveAt >= idleMs && now - idleMs > emitted) {
                emitted = now - idleMs;
                output.emitWatermark(new Watermark(emitted));
            }
        }
    }
}
