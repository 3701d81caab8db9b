package io.domainmix.core.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches each domain's loss L̄_k and loss weight λ_k and its arrivals, and reports a
 * {@link HealthEvent} when:
 * <ul>
 *   <li>L̄_k is more than F times the smaller of its values at the start of the current and of the
 *       previous window (a window is {@code window} of the domain's arrivals, so the comparison
 *       reaches one to two windows back); a fall of the loss is the model learning, not news;</li>
 *   <li>λ_k is more than F times, or less than 1/F of, its value then;</li>
 *   <li>the domain has not arrived for max({@code minSilence}, {@link #SILENCE_GAPS} / π_k)
 *       arrivals, π_k its share (about {@value #SILENCE_GAPS} of its usual gaps);</li>
 *   <li>a domain first arrives after the run's first {@code window} arrivals.</li>
 * </ul>
 * A domain is watched only after its first {@code window} arrivals, so the start-up (losses of
 * the untrained model, λ before the estimates settle) is no news; after an event the
 * comparison starts afresh from the new value, so one change is one event. The checks run when
 * the weights are recomputed (O(K), like the recomputation); events wait in a list for
 * {@link #drain()}. The memory is in each domain's {@link DomainHealth}.
 */
public final class HealthMonitor {
    /** A silence this many of the domain's expected gaps 1/π_k long has probability about e^−50 on a steady stream. */
    public static final double SILENCE_GAPS = 50;

    private final double factor;
    private final long window;
    private final long minSilence;
    private final List<HealthEvent> pending = new ArrayList<>();
    private long count;

    /**
     * @param factor F (> 1; infinite turns the loss and λ checks off)
     * @param window arrivals of a domain per comparison window, and before it is watched
     * @param minSilence arrivals without the domain before it counts as stopped, at the least
     */
    public HealthMonitor(double factor, long window, long minSilence) {
        this.factor = factor;
        this.window = window;
        this.minSilence = minSilence;
    }

    /** A domain arrived ({@code arrivals}: the run's arrival count; {@code domainArrivals}: the domain's). */
    public void onArrival(String domain, DomainHealth h, long domainArrivals, long arrivals, long step, double lossWeight) {
        h.silent = false;
        if (domainArrivals == 1 && arrivals > window) {
            HealthEvent e = event(domain, HealthEvent.STARTED, step, arrivals, domainArrivals);
            e.after = lossWeight;
            e.lossWeightAfter = lossWeight;
            e.message = String.format(Locale.ROOT, "domain %s: new domain at step %,d (after %,d arrivals of the others)",
                    domain, step, arrivals - 1);
            add(e);
        }
    }

    /**
     * Checks one domain after a weight recomputation.
     *
     * @param sinceLast the run's arrivals since the domain's last arrival
     * @param share π_k
     * @return whether the domain's loss rose by more than F (a {@link HealthEvent#LOSS_UP} event)
     */
    public boolean check(String domain, DomainHealth h, long domainArrivals, long arrivals, long step, double loss,
                      double lossWeight, long sinceLast, double share) {
        if (!h.silent && domainArrivals > 0 && sinceLast > Math.max(minSilence, SILENCE_GAPS / Math.max(share, 1e-300))) {
            h.silent = true;
            HealthEvent e = event(domain, HealthEvent.STOPPED, step, arrivals, domainArrivals);
            e.before = sinceLast;
            e.lossWeightBefore = lossWeight;
            e.lossWeightAfter = lossWeight;
            e.message = String.format(Locale.ROOT, "domain %s: no arrivals for %,d arrivals of the others "
                    + "(about %.0f of its usual gaps; %,d examples in all, share %.3f)", domain, sinceLast,
                    sinceLast * share, domainArrivals, share);
            add(e);
        }
        if (domainArrivals < window || !Double.isFinite(loss) || !(lossWeight > 0)) {
            return false;
        }
        if (h.windowStart < 0) {
            restart(h, domainArrivals, step, loss, lossWeight);
            return false;
        }
        if (domainArrivals - h.windowStart >= window) {
            double previousLoss = h.loss;
            double previousLossWeight = h.lossWeight;
            long previousStep = h.step;
            restart(h, domainArrivals, step, loss, lossWeight);
            h.previousLoss = previousLoss;
            h.previousLossWeight = previousLossWeight;
            h.previousStep = previousStep;
        }
        boolean older = !Double.isNaN(h.previousLoss) && h.previousLoss < h.loss;
        double baseLoss = older ? h.previousLoss : h.loss;
        double baseWeight = older ? h.previousLossWeight : h.lossWeight;
        long baseStep = older ? h.previousStep : h.step;
        if (loss > factor * baseLoss) {
            HealthEvent e = event(domain, HealthEvent.LOSS_UP, step, arrivals, domainArrivals);
            e.before = baseLoss;
            e.after = loss;
            e.message = String.format(Locale.ROOT, "domain %s: loss %.1f× higher than at step %,d (%.4g → %.4g); λ %.2f → %.2f",
                    domain, loss / baseLoss, baseStep, baseLoss, loss, baseWeight, lossWeight);
            reportChange(e, h, baseStep, baseWeight, domainArrivals, loss, lossWeight);
            return true;
        }
        // λ against whichever of the two references it has moved furthest from
        double refWeight = h.lossWeight;
        long refStep = h.step;
        double refLoss = h.loss;
        if (!Double.isNaN(h.previousLossWeight)
                && Math.abs(Math.log(lossWeight / h.previousLossWeight)) > Math.abs(Math.log(lossWeight / refWeight))) {
            refWeight = h.previousLossWeight;
            refStep = h.previousStep;
            refLoss = h.previousLoss;
        }
        double ratio = lossWeight / refWeight;
        if (ratio > factor || ratio < 1 / factor) {
            HealthEvent e = event(domain, HealthEvent.LOSS_WEIGHT_MOVED, step, arrivals, domainArrivals);
            e.before = refWeight;
            e.after = lossWeight;
            e.message = String.format(Locale.ROOT, "domain %s: λ %.2f → %.2f (%s%.1f) since step %,d; loss %.4g → %.4g",
                    domain, refWeight, lossWeight, ratio > 1 ? "×" : "÷", ratio > 1 ? ratio : 1 / ratio, refStep,
                    refLoss, loss);
            reportChange(e, h, refStep, refWeight, domainArrivals, loss, lossWeight);
        }
        return false;
    }

    /** Reports a change against the reference of {@code sinceStep}, and compares afresh from now on: one change, one event. */
    private void reportChange(HealthEvent e, DomainHealth h, long sinceStep, double weightBefore, long domainArrivals,
                              double loss, double lossWeight) {
        e.sinceStep = sinceStep;
        e.lossWeightBefore = weightBefore;
        e.lossWeightAfter = lossWeight;
        add(e);
        restart(h, domainArrivals, e.step, loss, lossWeight);
    }

    private static void restart(DomainHealth h, long domainArrivals, long step, double loss, double lossWeight) {
        h.windowStart = domainArrivals;
        h.loss = loss;
        h.lossWeight = lossWeight;
        h.step = step;
        h.previousLoss = Double.NaN;
        h.previousLossWeight = Double.NaN;
        h.previousStep = step;
    }

    private static HealthEvent event(String domain, String kind, long step, long arrivals, long domainArrivals) {
        HealthEvent e = new HealthEvent();
        e.domain = domain;
        e.kind = kind;
        e.step = step;
        e.arrivals = arrivals;
        e.domainArrivals = domainArrivals;
        return e;
    }

    /** Keeps at most {@value #MAX_PENDING} undrained events (the newest), so a caller that never drains stays bounded. */
    private void add(HealthEvent e) {
        if (pending.size() == MAX_PENDING) {
            pending.remove(0);
        }
        pending.add(e);
        count++;
    }

    static final int MAX_PENDING = 10_000;

    /** Events reported since this monitor was created (drained or not). */
    public long count() {
        return count;
    }

    /** The events since the last call, oldest first; clears them. */
    public List<HealthEvent> drain() {
        List<HealthEvent> out = List.copyOf(pending);
        pending.clear();
        return out;
    }
}
