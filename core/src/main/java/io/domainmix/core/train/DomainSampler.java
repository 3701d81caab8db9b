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
    /** p of each column's own domain, kept for the stratified plan (accept is overwritten by Vose). */
    private double[] columnWeight = new double[0];

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
        planSlots = 0;
        if (columnWeight.length < k) {
            columnWeight = new double[k];
        }
        for (int c = 0; c < n; c++) {
            columnWeight[c] = p[domainOf[c]];
        }
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

    // the stratified plan of one step's B slots, built from the table on first use after a rebuild
    private int planSlots;
    private int[] fixedSlots = new int[0];
    private int fixedCount;
    /** Cumulative residuals B·q_c − ⌊B·q_c⌋ over the columns, in column order. */
    private double[] residualEnd = new double[0];

    /**
     * The domains of a step's {@code b} slots, stratified (Neyman-style allocation at the
     * probabilities in force): domain k, of probability q_k = p_k / Σp, gets ⌊b·q_k⌋ slots for
     * certain, and the remaining R = b − Σ⌊b·q⌋ slots go to the domains by systematic sampling of the
     * residuals r_k = b·q_k − ⌊b·q_k⌋ (one uniform u, points u + i for i &lt; R on their cumulative
     * sum), so k gets one more slot with probability r_k. Its expected count is b·q_k, as with b
     * independent draws, so a uniformly chosen slot is k with probability q_k and the importance
     * correction is unchanged; but a domain's count varies by less than one instead of
     * binomially. A function of (table, b, one generator draw when R &gt; 0), so a restored trainer
     * draws the same slots. Writes {@code out[0..b)}.
     */
    public void drawSlots(int b, SplitMix64 rng, int[] out) {
        if (planSlots != b) {
            buildPlan(b);
        }
        System.arraycopy(fixedSlots, 0, out, 0, fixedCount);
        int remainder = b - fixedCount;
        if (remainder == 0) {
            return;
        }
        // points spaced by the residuals' total / R (1 up to rounding): each residual is below 1, so
        // a domain gets at most one of them, with probability r_k
        double spacing = residualEnd[columns - 1] / remainder;
        double point = rng.nextDouble() * spacing;
        int c = 0;
        for (int i = 0; i < remainder; i++, point += spacing) {
            c = firstEndAbove(point, c); // a binary search: O(R log K) a step, not O(K)
            out[fixedCount + i] = domainOf[c];
        }
    }

    /** The first column from {@code from} whose cumulative residual exceeds {@code point} (the last if none). */
    private int firstEndAbove(double point, int from) {
        int lo = from;
        int hi = columns - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (residualEnd[mid] > point) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private void buildPlan(int b) {
        planSlots = b;
        if (fixedSlots.length < b) {
            fixedSlots = new int[b];
        }
        if (residualEnd.length < columns) {
            residualEnd = new double[Math.max(columns, residualEnd.length)];
        }
        fixedCount = 0;
        double end = 0;
        for (int c = 0; c < columns; c++) {
            double share = b * columnProbability(c);
            int whole = (int) Math.min(Math.floor(share), b - fixedCount);
            for (int i = 0; i < whole; i++) {
                fixedSlots[fixedCount++] = domainOf[c];
            }
            end += Math.max(0.0, share - whole);
            residualEnd[c] = end;
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

    private double columnProbability(int c) {
        return columnWeight[c] / total;
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
