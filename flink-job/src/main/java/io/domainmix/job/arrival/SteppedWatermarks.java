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
 */
final class SteppedWatermarks<T> implements WatermarkGenerator<T> {
    private final long step;
    private final long start;
    private long max = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    SteppedWatermarks(long step, long start) {
        this.step = Math.max(1, step);
        this.start = start;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
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
    }
}
