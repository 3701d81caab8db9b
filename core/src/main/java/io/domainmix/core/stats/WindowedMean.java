package io.domainmix.core.stats;

/**
 * A running mean that forgets its start: the values are cut into windows of doubling length
 * (1, 2, 4, … values, at most {@code maxWindow}), and the reading is the mean of the current
 * window or of the last completed one, whichever holds more values. After n values it therefore
 * averages at least the newest n/4 of them and nothing older than the newest n/2 (until the cap;
 * then between {@code maxWindow} and 2·{@code maxWindow} values), so a start-up transient is gone
 * after a few windows, while the estimate still rests on a growing sample and, once capped,
 * follows drift. The same trick as the trainer's tail average of θ (ALGORITHMS.md §4).
 *
 * <p>Why not a bias-corrected EMA: with β = 0.001 its reading after n values still gives the
 * first values weight (1−β)^0 against (1−β)^n, i.e. it is a mean over all n values until n is
 * several thousand, so the losses of the untrained model (hundreds of times the converged
 * loss on uncentred labels) dominate ERMA's λ for the first thousands of examples.
 *
 * <p>Five numbers, public fields and a no-argument constructor, so that it sits in Flink state as is.
 */
public final class WindowedMean {
    public double currentSum;
    public long currentCount;
    /** Length at which the current window is complete. */
    public long currentLength = 1;
    public double previousMean = Double.NaN;
    public long previousCount;

    public WindowedMean() {}

    /** Adds a finite value; {@code maxWindow} ≥ 1 caps the window length. */
    public void add(double value, long maxWindow) {
        if (currentCount >= currentLength) {
            previousMean = currentSum / currentCount;
            previousCount = currentCount;
            currentSum = 0;
            currentCount = 0;
            currentLength = Math.min(2 * currentLength, maxWindow);
        }
        currentSum += value;
        currentCount++;
    }

    /** The mean of the longer of the current and the last completed window; NaN before any value. */
    public double read() {
        if (currentCount == 0 && previousCount == 0) {
            return Double.NaN;
        }
        return currentCount >= previousCount ? currentSum / currentCount : previousMean;
    }

    /**
     * Forgets every value so far, after a detected change: the next window starts empty and
     * {@code carry} long, and until it holds {@code carry} values the reading stays the one from
     * before (standing in for at most {@code carry} values). So the estimate rests on the new
     * values alone after {@code carry} of them, not after one to two capped windows, and never
     * on a handful of them.
     */
    public void restart(long carry) {
        double reading = read();
        previousMean = reading;
        previousCount = Double.isNaN(reading) ? 0 : Math.min(readCount(), carry);
        currentSum = 0;
        currentCount = 0;
        currentLength = carry;
    }

    /** How many values the current reading averages. */
    public long readCount() {
        return Math.max(currentCount, previousCount);
    }
}
