package io.domainmix.core.train;

import io.domainmix.core.rng.SplitMix64;
import java.util.function.IntPredicate;

/**
 * Draws a slot's domain k with probability p_k / Σ p over the domains that have buffered examples,
 * in O(1) a draw: Vose's alias table (one column per such domain; a column keeps its own domain
 * with probability {@code accept}, else gives its {@code alias}), rebuilt in O(K) only when p or
 * the set of domains with examples has changed. A linear scan of the K domains per slot made a
 * step O(K·B), which with 10,000 domains held a bounded run to about a thousand examples a second.
 *
 * <p>The table is a function of (p, which domains have examples) alone, built in a fixed order, so
 * a trainer restored from a checkpoint rebuilds the very table it used and, from the same
 * generator state, draws the same domains. A draw takes one {@link SplitMix64#nextDouble()}, as
 * the scan did. Not state; not thread-safe.
 */
public final class DomainSampler {
    private int[] domainOf = new int[0];
    private double[] accept = new double[0];
    private int[] alias = new int[0];
    private int columns;
    private double total;
    private boolean stale = true;

    /** Marks the table out of date: the next {@link #rebuildIfStale} builds it again. */
    public void invalidate() {
        stale = true;
    }

    /**
     * Builds the table for weights {@code p} over the domains that are {@code drawable} (have
     * buffered examples) and have {@code p > 0}, if it is out of date.
     */
    public void rebuildIfStale(double[] p, IntPredicate drawable) {
        if (!stale) {
            return;
        }
        stale = false;
        int k = p.length;
        if (domainOf.length < k) {
            domainOf = new int[k];
            accept = new double[k];
            alias = new int[k];
        }
        int n = 0;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            if (p[i] > 0 && drawable.test(i)) {
                domainOf[n++] = i;
                sum += p[i];
            }
        }
        columns = n;
        total = sum;
        if (n == 0) {
            return;
        }
        // Vose: scaled weights n·p/Σp; a column under 1 is topped up from one over 1, which keeps
        // the rest of its weight; small and large are stacks in accept's index space
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int c = 0; c < n; c++) {
            accept[c] = p[domainOf[c]] * n / sum;
            if (accept[c] < 1.0) {
                small[ns++] = c;
            } else {
                large[nl++] = c;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            alias[s] = l;
            accept[l] = (accept[l] + accept[s]) - 1.0;
            if (accept[l] < 1.0) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        // what is left is 1 up to rounding
        while (nl > 0) {
            int l = large[--nl];
            accept[l] = 1.0;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns];
            accept[s] = 1.0;
            alias[s] = s;
        }
    }

    /** Σ p over the domains in the table (0 when none has examples). */
    public double total() {
        return total;
    }

    /** Whether some domain can be drawn. */
    public boolean isEmpty() {
        return columns == 0;
    }

    /** A domain index with probability p_k / {@link #total()}; the table must be built and not empty. */
    public int draw(SplitMix64 rng) {
        double u = rng.nextDouble() * columns;
        int c = (int) u;
        if (c >= columns) {
            c = columns - 1;
        }
        return domainOf[u - c < accept[c] ? c : alias[c]];
    }

    /** The probability the table gives domain {@code k}: for tests of exactness. */
    double probabilityOf(int k) {
        double mass = 0;
        for (int c = 0; c < columns; c++) {
            if (domainOf[c] == k) {
                mass += accept[c];
            }
            if (domainOf[alias[c]] == k && alias[c] != c) {
                mass += 1.0 - accept[c];
            }
        }
        return mass / columns;
    }
}
