package io.domainmix.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The limiter on a simulated clock: exact spacing, delayed start, bounded catch-up, unlimited. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    /** Runs a limiter as a producer would (wait, then take) and returns when each event happened. */
    private static long[] drive(RateLimiter limiter, long now, int events) {
        long[] at = new long[events];
        for (int k = 0; k < events; k++) {
            now += limiter.waitNanos(now);
            limiter.take(now);
            at[k] = now;
        }
        return at;
    }

    @Test
    void eventsFollowTheAbsoluteSchedule() {
        long[] at = drive(new RateLimiter(1000, 0), 0, 5000);
        for (int k = 0; k < at.length; k++) {
            assertEquals(k * 1_000_000L, at[k], "event " + k);
        }
    }

    @Test
    void nonIntegralIntervalKeepsTheLongRunRate() {
        // 3 per second: the interval 333,333,333.3 ns is not whole; the schedule must not drift
        long[] at = drive(new RateLimiter(3, 0), 0, 3001);
        assertEquals(1000 * SECOND, at[3000], 1.0);
    }

    @Test
    void firstEventWaitsForTheStart() {
        RateLimiter limiter = new RateLimiter(10, 5 * SECOND);
        assertEquals(5 * SECOND, limiter.waitNanos(0));
        assertEquals(0, limiter.waitNanos(5 * SECOND));
    }

    @Test
    void oversleepingIsMadeUpSoTheAverageHolds() {
        RateLimiter limiter = new RateLimiter(100, 0); // 10 ms apart
        long now = 0;
        int events = 0;
        while (now < 10 * SECOND) {
            long wait = limiter.waitNanos(now);
            if (wait > 0) {
                now += wait + 3_000_000; // every sleep overshoots by 3 ms
                continue;
            }
            limiter.take(now);
            events++;
        }
        // an "interval after each event" loop would have managed 10 s / 13 ms = 769
        assertTrue(Math.abs(events - 1000) <= 1, "events in 10 s: " + events);
    }

    @Test
    void aStallIsMadeUpByAtMostTheBacklog() {
        RateLimiter limiter = new RateLimiter(1000, 0);
        drive(limiter, 0, 10);
        long now = 10 * SECOND; // a 10 s stall
        int burst = 0;
        while (limiter.waitNanos(now) == 0) {
            limiter.take(now);
            burst++;
        }
        // the event due now plus one second of backlog (1000), not the 9990 the stall cost
        assertEquals(1001, burst);
        assertEquals(now + 1_000_000L, limiter.nextDueNanos());
    }

    @Test
    void unlimitedNeverWaits() {
        RateLimiter limiter = new RateLimiter(0, 0);
        for (int k = 0; k < 1000; k++) {
            assertEquals(0, limiter.waitNanos(k));
            limiter.take(k);
        }
        assertEquals(999, limiter.nextDueNanos());
    }

    @Test
    void rejectsNegativeAndInfiniteRates() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.POSITIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN, 0));
    }
}
