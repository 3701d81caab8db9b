package io.domainmix.core.weights;

/**
 * The steps every weight policy shares (ALGORITHMS.md §2–3), around the policies' own rules
 * ({@link LossWeightRule}, {@link SamplingRule}): a domain the rule has no value for yet gets the
 * mean of the others' raw weights (1 if there are none), so that a new domain joins at an average
 * weight rather than an extreme one; λ is clipped to max/min ≤ κ and normalised Σ π λ = 1; p is
 * mixed with π by ε where the rule asks for it, and normalised Σ p = 1; then the slot weights
 * w = πλ/p (corrected) or λ (conflated).
 */
public final class WeightCalculator {
    private WeightCalculator() {}

    /**
     * With a scratch rule state (a one-off computation: a stateful rule starts afresh).
     *
     * @param share π_k (sums to 1 over domains that have arrived)
     * @param count n_k, examples seen per domain
     * @param lossEma L̄_k (ERMA), NaN where unknown
     * @param noiseVariance σ̂²_k (FGLS), NaN where unknown
     * @param gradientSecondMoment M_k (VA), NaN where unknown
     */
    public static DomainWeights compute(WeightSettings s, String[] domains, double[] share, long[] count,
                                        double[] lossEma, double[] noiseVariance, double[] gradientSecondMoment) {
        WeightInputs in = new WeightInputs(domains, share, count, lossEma, noiseVariance, gradientSecondMoment, 0);
        return compute(s, in, RuleState.inMemory(), RuleState.inMemory());
    }

    /** The weights from the inputs, the rules keeping their state in {@code lossState} and {@code samplingState}. */
    public static DomainWeights compute(WeightSettings s, WeightInputs in, RuleState lossState, RuleState samplingState) {
        int k = in.size();
        double[] lambda = new double[k];
        s.lossRule().rawLossWeights(in, s, lossState, lambda);
        fillUnknownWithMean(lambda);
        clip(lambda, s.kappa);
        normalize(lambda, in.share);
        double[] p = new double[k];
        SamplingRule sampling = s.samplingRule();
        sampling.rawSamplingWeights(in, lambda, s, samplingState, p);
        fillUnknownWithMean(p);
        if (sampling.mixedWithShares()) {
            mixWithShares(p, in.share, s.epsilon);
        }
        if (sum(p) <= 0) {
            java.util.Arrays.fill(p, 1.0);
        }
        scaleToOne(p);
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = importanceWeight(s.mode, in.share[i], lambda[i], p[i]);
        }
        return new DomainWeights(in.share.clone(), lambda, p, w);
    }

    /** w = πλ/p (corrected; 0 where p = 0, such a domain is never drawn) or λ (conflated). */
    public static double importanceWeight(ImportanceMode mode, double share, double lambda, double p) {
        if (mode == ImportanceMode.CONFLATED) {
            return lambda;
        }
        return p > 0 ? share * lambda / p : 0.0;
    }

    /**
     * p = (1 − ε) p/Σp + ε π/Σπ (p = π where Σp ≤ 0): every domain keeps at least ε of its share,
     * so none starves and w = πλ/p ≤ λ/ε.
     */
    private static void mixWithShares(double[] p, double[] share, double epsilon) {
        if (sum(p) <= 0) {
            System.arraycopy(share, 0, p, 0, p.length);
        }
        scaleToOne(p);
        double[] pi = share.clone();
        scaleToOne(pi);
        for (int i = 0; i < p.length; i++) {
            p[i] = (1.0 - epsilon) * p[i] + epsilon * pi[i];
        }
    }

    /** Gives each value that is not finite (a rule's "none yet") the mean of the finite ones (1 if none is). */
    private static void fillUnknownWithMean(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                sum += x;
                n++;
            }
        }
        if (n == v.length) {
            return;
        }
        double mean = n == 0 ? 1.0 : sum / n;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                v[i] = mean;
            }
        }
    }

    /** Raises the small weights so that max/min ≤ κ. */
    private static void clip(double[] v, double kappa) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double min = max / kappa;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(v[i], min);
        }
    }

    /** Scales so that Σ π λ = 1 (or mean λ = 1 before any arrival). */
    private static void normalize(double[] lambda, double[] share) {
        double z = 0;
        for (int i = 0; i < lambda.length; i++) {
            z += share[i] * lambda[i];
        }
        if (!(z > 0)) {
            z = sum(lambda) / Math.max(lambda.length, 1);
        }
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] /= z;
        }
    }

    private static void scaleToOne(double[] v) {
        double z = sum(v);
        if (z > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= z;
            }
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
