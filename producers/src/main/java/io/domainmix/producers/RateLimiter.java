package io.domainmix.producers;

/**
 * Paces one stream at a fixed number of events per second on an absolute schedule: the k-th
 * event is due at {@code start + k / rate}. An absolute schedule keeps the long-run rate exact
 * even when single sleeps overshoot, which a "sleep 1/rate after each event" loop does not.
 *
 * <p>After a stall (a slow broker, a GC pause) the stream catches up, but by at most
 * {@link #maxBacklogNanos()} worth of events: a longer stall is not made up, so a stream never
 * bursts far above its rate. A rate of 0 means unlimited: every event is due at once.
 *
 * <p>Time is passed in by the caller (nanoseconds from any fixed origin, e.g.
 * {@link System#nanoTime()}), so the class never sleeps and is tested without a clock.
 */
public final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The default catch-up allowance: one second of events. */
    public static final long DEFAULT_MAX_BACKLOG_NANOS = NANOS_PER_SECOND;

    private final double ratePerSecond;
    private final double intervalNanos;
    private final long maxBacklogNanos;
    /** Origin of the current schedule segment; rebased after a stall longer than the backlog. */
    private long originNanos;
    /** Events taken since {@link #originNanos}. */
    private long takenSinceOrigin;
    private long lastTakeNanos;

    /**
     * @param ratePerSecond events per second, or 0 for unlimited
     * @param startNanos when the first event is due
     */
    public RateLimiter(double ratePerSecond, long startNanos) {
        this(ratePerSecond, startNanos, DEFAULT_MAX_BACKLOG_NANOS);
    }

    public RateLimiter(double ratePerSecond, long startNanos, long maxBacklogNanos) {
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0 (0 = unlimited): " + ratePerSecond);
        }
        if (maxBacklogNanos < 0) {
            throw new IllegalArgumentException("maxBacklogNanos must be >= 0: " + maxBacklogNanos);
        }
        this.ratePerSecond = ratePerSecond;
        this.intervalNanos = ratePerSecond == 0 ? 0 : NANOS_PER_SECOND / ratePerSecond;
        this.maxBacklogNanos = maxBacklogNanos;
        this.originNanos = startNanos;
        this.lastTakeNanos = startNanos;
    }

    public boolean unlimited() {
        return ratePerSecond == 0;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public long maxBacklogNanos() {
        return maxBacklogNanos;
    }

    /**
     * When the next event is due. For an unlimited stream: the start, then the time of the last
     * event, so that a scheduler ordering streams by due time interleaves it with paced streams
     * instead of starving them.
     */
    public long nextDueNanos() {
        if (unlimited()) {
            return lastTakeNanos;
        }
        return originNanos + (long) (takenSinceOrigin * intervalNanos);
    }

    /** Nanoseconds to wait at {@code nowNanos} before the next event; 0 when it is due. */
    public long waitNanos(long nowNanos) {
        return Math.max(0, nextDueNanos() - nowNanos);
    }

    /** Records that one event was emitted at {@code nowNanos}. */
    public void take(long nowNanos) {
        if (unlimited()) {
            lastTakeNanos = Math.max(lastTakeNanos, nowNanos);
            return;
        }
        long due = nextDueNanos();
        if (nowNanos - due > maxBacklogNanos) {
            // a stall longer than the allowance: forget the part of the backlog beyond it
            originNanos = nowNanos - maxBacklogNanos;
            takenSinceOrigin = 0;
        }
        takenSinceOrigin++;
        lastTakeNanos = nowNanos;
    }
}
