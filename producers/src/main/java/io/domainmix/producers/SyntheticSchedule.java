package io.domainmix.producers;

import java.util.List;

/**
 * Decides which domain emits next: the one whose next example is due first, each domain paced
 * by its own {@link RateLimiter}, starting after its delay and finishing at its count. Time is
 * passed in, so the schedule is tested on a simulated clock.
 */
public final class SyntheticSchedule {
    private final List<DomainPlan> plans;
    private final RateLimiter[] limiters;
    private final long[] emitted;

    public SyntheticSchedule(List<DomainPlan> plans, long startNanos) {
        this.plans = List.copyOf(plans);
        this.limiters = new RateLimiter[plans.size()];
        this.emitted = new long[plans.size()];
        for (int i = 0; i < limiters.length; i++) {
            long start = startNanos + Math.round(plans.get(i).delaySeconds() * 1e9);
            limiters[i] = new RateLimiter(plans.get(i).rate(), start);
        }
    }

    /**
     * The domain due first among those not finished, or -1 when every domain has produced its
     * count. Ties go to the domain that has emitted fewest, which interleaves unlimited domains.
     */
    public int nextDomain() {
        int best = -1;
        for (int i = 0; i < limiters.length; i++) {
            if (finished(i)) {
                continue;
            }
            if (best < 0) {
                best = i;
                continue;
            }
            long due = limiters[i].nextDueNanos();
            long bestDue = limiters[best].nextDueNanos();
            if (due < bestDue || (due == bestDue && emitted[i] < emitted[best])) {
                best = i;
            }
        }
        return best;
    }

    public long dueNanos(int domain) {
        return limiters[domain].nextDueNanos();
    }

    /** Records that {@code domain} emitted one example at {@code nowNanos}. */
    public void emitted(int domain, long nowNanos) {
        limiters[domain].take(nowNanos);
        emitted[domain]++;
    }

    public long emitted(int domain) {
        return emitted[domain];
    }

    public boolean finished(int domain) {
        return plans.get(domain).bounded() && emitted[domain] >= plans.get(domain).count();
    }

    public boolean finished() {
        return nextDomain() < 0;
    }
}
