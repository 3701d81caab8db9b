package io.domainmix.producers;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Decides which domain emits next: the one whose next example is due first, each domain paced
 * by its own {@link RateLimiter}, starting after its delay and finishing at its count. Time is
 * passed in, so the schedule is tested on a simulated clock.
 */
public final class SyntheticSchedule {
    private final List<DomainPlan> plans;
    private final RateLimiter[] limiters;
    private final long[] emitted;
    /**
     * The domains not finished, first due first (ties: fewest emitted, then plan order). A
     * domain's due time changes only when it emits, so only that domain moves: choosing the next
     * one costs O(log K), which is what lets one producer drive thousands of domains.
     */
    private final PriorityQueue<Integer> queue;

    public SyntheticSchedule(List<DomainPlan> plans, long startNanos) {
        this.plans = List.copyOf(plans);
        this.limiters = new RateLimiter[plans.size()];
        this.emitted = new long[plans.size()];
        for (int i = 0; i < limiters.length; i++) {
            long start = startNanos + Math.round(plans.get(i).delaySeconds() * 1e9);
            limiters[i] = new RateLimiter(plans.get(i).rate(), start);
        }
        this.queue = new PriorityQueue<>(Math.max(1, plans.size()), Comparator
                .<Integer>comparingLong(i -> limiters[i].nextDueNanos())
                .thenComparingLong(i -> emitted[i])
                .thenComparingInt(i -> i));
        for (int i = 0; i < limiters.length; i++) {
            if (!finished(i)) {
                queue.add(i);
            }
        }
    }

    /**
     * The domain due first among those not finished, or -1 when every domain has produced its
     * count. Ties go to the domain that has emitted fewest, which interleaves unlimited domains.
     */
    public int nextDomain() {
        Integer next = queue.peek();
        return next == null ? -1 : next;
    }

    public long dueNanos(int domain) {
        return limiters[domain].nextDueNanos();
    }

    /** Records that {@code domain} emitted one example at {@code nowNanos}. */
    public void emitted(int domain, long nowNanos) {
        Integer head = queue.peek();
        // the producer emits the domain it was given, the head: O(log K); any other is searched for
        boolean queued = head != null && head == domain ? queue.poll() != null : queue.remove(domain);
        limiters[domain].take(nowNanos);
        emitted[domain]++;
        if (queued && !finished(domain)) {
            queue.add(domain);
        }
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
