package io.domainmix.core.train;

/**
 * An online burn-in test for the Polyak–Ruppert average that does not look at the weights: the
 * prequential loss of the iterate θ on each arrival (scored before θ trains on it) is summed in
 * windows between doubling points of the step count, [2^(j−1), 2^j). At each doubling point
 * the window just closed is compared with the one before it; while the loss still falls by
 * more than {@value #Z} standard errors, the iterates of the earlier window were still travelling
 * from θ₀, and the average restarts from the newest window alone (the trainer keeps its mean
 * beside the whole one). Once the loss has levelled off the average keeps every step.
 *
 * <p>A restart at step 2^j keeps the steps since 2^(j−1), at least half of those taken by the
 * end, so a false alarm (the losses of nearby iterates are correlated, so the test's standard
 * error is optimistic) costs at most a factor of two in the average's variance. Measured on
 * {@code mlp}, Z = 2 with the newest window kept beat Z = 3 and beat restarting from 2^j with
 * nothing kept (BENCHMARKS.md, "Streaming efficiency"). Doubling points are global steps, so a
 * restart for other reasons (λ moved, a new domain) does not move them. The sums live in
 * {@link TrainerState} so that a restored trainer tests the same.
 */
final class BurnIn {
    private BurnIn() {}

    /** No test before this many steps: the windows would be a few arrivals. */
    static final long FIRST_CHECK = 512;
    /** One-sided z of the "still falling" test. */
    static final double Z = 2.0;

    /** Adds one arrival's loss under θ to the current window. */
    static void record(TrainerState s, double loss) {
        s.burnInLossSum += loss;
        s.burnInLossSquares += loss * loss;
        s.burnInLossCount++;
    }

    /**
     * Called after each step: at a doubling point, whether the loss of the window just closed
     * is significantly below the window before it (the window sums roll over either way).
     */
    static boolean stillFalling(TrainerState s) {
        long step = s.step;
        if (step < FIRST_CHECK / 2 || Long.bitCount(step) != 1) {
            return false;
        }
        boolean falling = step >= FIRST_CHECK && s.burnInPreviousCount > 1 && s.burnInLossCount > 1
                && significantDrop(s.burnInPreviousSum, s.burnInPreviousSquares, s.burnInPreviousCount,
                        s.burnInLossSum, s.burnInLossSquares, s.burnInLossCount);
        s.burnInPreviousSum = s.burnInLossSum;
        s.burnInPreviousSquares = s.burnInLossSquares;
        s.burnInPreviousCount = s.burnInLossCount;
        s.burnInLossSum = 0;
        s.burnInLossSquares = 0;
        s.burnInLossCount = 0;
        return falling;
    }

    /** Welch's one-sided test that the mean of window b is below that of window a by more than Z SE. */
    static boolean significantDrop(double sumA, double squaresA, long nA, double sumB, double squaresB, long nB) {
        double meanA = sumA / nA;
        double meanB = sumB / nB;
        double varA = Math.max(0, (squaresA - nA * meanA * meanA) / (nA - 1));
        double varB = Math.max(0, (squaresB - nB * meanB * meanB) / (nB - 1));
        double se = Math.sqrt(varA / nA + varB / nB);
        return meanA - meanB > Z * se;
    }
}
