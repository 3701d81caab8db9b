package io.domainmix.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.synth.DomainSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-domain schedule on a simulated clock. */
class SyntheticScheduleTest {
    private static final long SECOND = 1_000_000_000L;

    private static DomainPlan plan(String name, double rate, long count, double delay) {
        return new DomainPlan(DomainSpec.regression(name, 1, 1), rate, count, delay);
    }

    /** Runs the schedule until {@code end} (or done); returns per domain the times of its events. */
    private static long[][] run(SyntheticSchedule s, int domains, long end) {
        long[][] times = new long[domains][];
        int[] n = new int[domains];
        for (int i = 0; i < domains; i++) {
            times[i] = new long[100_000];
        }
        long now = 0;
        int i;
        while ((i = s.nextDomain()) >= 0) {
            now = Math.max(now, s.dueNanos(i));
            if (now > end) {
                break;
            }
            times[i][n[i]++] = now;
            s.emitted(i, now);
        }
        for (int k = 0; k < domains; k++) {
            times[k] = java.util.Arrays.copyOf(times[k], n[k]);
        }
        return times;
    }

    @Test
    void eachDomainKeepsItsRateCountAndDelay() {
        SyntheticSchedule s = new SyntheticSchedule(List.of(
                plan("fast", 1000, 3000, 0), plan("slow", 100, 200, 0), plan("late", 500, 500, 2.0)), 0);
        long[][] t = run(s, 3, 100 * SECOND);
        assertEquals(3000, t[0].length);
        assertEquals(200, t[1].length);
        assertEquals(500, t[2].length);
        // fast: 3000 at 1 ms spacing, the last at 2.999 s
        assertEquals(2_999_000_000L, t[0][2999]);
        // slow: 10 ms spacing
        assertEquals(1_990_000_000L, t[1][199]);
        // late: nothing before its 2 s delay, then 2 ms spacing
        assertEquals(2 * SECOND, t[2][0]);
        assertEquals(2 * SECOND + 499 * 2_000_000L, t[2][499]);
        assertTrue(s.finished());
    }

    @Test
    void unboundedDomainGoesOnWhileBoundedOnesStop() {
        SyntheticSchedule s = new SyntheticSchedule(List.of(plan("forever", 100, 0, 0), plan("brief", 100, 50, 0)), 0);
        long[][] t = run(s, 2, 10 * SECOND);
        assertEquals(50, t[1].length);
        assertEquals(1001, t[0].length); // 0 s .. 10 s inclusive at 10 ms spacing
        assertTrue(!s.finished());
    }

    @Test
    void unlimitedDomainsTakeTurns() {
        SyntheticSchedule s = new SyntheticSchedule(List.of(plan("a", 0, 1000, 0), plan("b", 0, 1000, 0)), 0);
        int[] order = new int[2000];
        for (int k = 0; k < 2000; k++) {
            int i = s.nextDomain();
            order[k] = i;
            s.emitted(i, 0);
        }
        for (int k = 0; k < 2000; k++) {
            assertEquals(k % 2, order[k], "round robin at " + k);
        }
        assertTrue(s.finished());
    }

    @Test
    void pacedDomainKeepsItsRateBesideAnUnlimitedOne() {
        SyntheticSchedule s = new SyntheticSchedule(List.of(plan("flood", 0, 0, 0), plan("paced", 1000, 0, 0)), 0);
        long now = 0;
        int[] n = new int[2];
        while (now < SECOND) {
            int i = s.nextDomain();
            long due = s.dueNanos(i);
            now = Math.max(now, due);
            n[i]++;
            s.emitted(i, now);
            now += 10_000; // every send costs 10 µs
        }
        assertEquals(1000, n[1], 2, "paced domain in 1 s");
        assertTrue(n[0] > 90_000, "the unlimited domain uses the rest: " + n[0]);
    }

    /**
     * The order of a plain scan over every domain (the rule the class documents: first due, then
     * fewest emitted, then plan order), against which the queue is checked.
     */
    private static int scan(List<DomainPlan> plans, RateLimiter[] limiters, long[] emitted) {
        int best = -1;
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).bounded() && emitted[i] >= plans.get(i).count()) {
                continue;
            }
            if (best < 0 || limiters[i].nextDueNanos() < limiters[best].nextDueNanos()
                    || (limiters[i].nextDueNanos() == limiters[best].nextDueNanos() && emitted[i] < emitted[best])) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void manyDomainsComeInTheOrderOfAPlainScan() {
        java.util.Random random = new java.util.Random(11);
        List<DomainPlan> plans = new java.util.ArrayList<>();
        for (int k = 0; k < 300; k++) {
            double rate = k % 3 == 0 ? 0 : 50 + random.nextInt(500);
            plans.add(plan("d" + k, rate, 1 + random.nextInt(40), k % 7 == 0 ? random.nextDouble() : 0));
        }
        SyntheticSchedule s = new SyntheticSchedule(plans, 0);
        RateLimiter[] limiters = new RateLimiter[plans.size()];
        for (int k = 0; k < limiters.length; k++) {
            limiters[k] = new RateLimiter(plans.get(k).rate(), Math.round(plans.get(k).delaySeconds() * 1e9));
        }
        long[] emitted = new long[plans.size()];
        long now = 0;
        int steps = 0;
        int i;
        while ((i = s.nextDomain()) >= 0) {
            assertEquals(scan(plans, limiters, emitted), i, "step " + steps);
            now = Math.max(now, s.dueNanos(i)) + random.nextInt(1000);
            s.emitted(i, now);
            limiters[i].take(now);
            emitted[i]++;
            steps++;
        }
        assertEquals(-1, scan(plans, limiters, emitted));
        assertEquals(plans.stream().mapToLong(DomainPlan::count).sum(), steps);
    }
}
