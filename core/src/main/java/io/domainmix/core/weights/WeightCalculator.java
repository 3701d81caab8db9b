package io.domainmix.core.weights;

/**
 * Turns per-domain statistics into loss weights and sampling probabilities (ALGORITHMS.md §2–3).
 *
 * <p>Inputs are index-aligned arrays over the K known domains; a NaN marks a statistic not yet
 * available. A domain whose own estimate is missing or rests on fewer than n_min examples gets
 * the mean of the others' raw weights (1 if there are none), so that a new domain joins at an
 * average weight rather than an extreme one.
 */
public final class WeightCalculator {
    private WeightCalculator() {}

    /**
     * @param share π_k (sums to 1 over domains that have arrived)
     * @param count n_k, examples seen per domain
     * @param lossEma L̄_k (ERMA), NaN where unknown
     * @param noiseVariance σ̂²_k (FGLS), NaN where unknown
     * @param gradientSecondMoment M_k (VA), NaN where unknown
     */
    public static DomainWeights compute(WeightSettings s, String[] domains, double[] share, long[] count,
                                        double[] lossEma, double[] noiseVariance, double[] gradientSecondMoment) {
        int k = domains.length;
        double[] lambda = lossWeights(s, domains, share, count, lossEma, noiseVariance);
        double[] p = samplingProbabilities(s, domains, share, lambda, gradientSecondMoment);
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = importanceWeight(s.mode, share[i], lambda[i], p[i]);
        }
        return new DomainWeights(share.clone(), lambda, p, w);
    }

    /** w = πλ/p (corrected; 0 where p = 0, such a domain is never drawn) or λ (conflated). */
    public static double importanceWeight(ImportanceMode mode, double share, double lambda, double p) {
        if (mode == ImportanceMode.CONFLATED) {
            return lambda;
        }
        return p > 0 ? share * lambda / p : 0.0;
    }

    static double[] lossWeights(WeightSettings s, String[] domains, double[] share, long[] count,
                                double[] lossEma, double[] noiseVariance) {
        int k = domains.length;
        double[] raw = new double[k];
        boolean[] known = new boolean[k];
        for (int i = 0; i < k; i++) {
            switch (s.lossPolicy) {
                case UNIFORM:
                    raw[i] = 1.0;
                    known[i] = true;
                    break;
                case STATIC: {
                    Double v = s.staticLossWeights.get(domains[i]);
                    known[i] = v != null;
                    raw[i] = v == null ? Double.NaN : v;
                    break;
                }
                case ERMA:
                    known[i] = count[i] >= s.minExamples && Double.isFinite(lossEma[i]);
                    raw[i] = known[i] ? 1.0 / Math.max(lossEma[i], s.floor) : Double.NaN;
                    break;
                case FGLS:
                    known[i] = count[i] >= s.minExamples && Double.isFinite(noiseVariance[i]);
                    raw[i] = known[i] ? 1.0 / Math.max(noiseVariance[i], s.floor) : Double.NaN;
                    break;
                default:
                    throw new IllegalStateException(s.lossPolicy.name());
            }
        }
        fillUnknownWithMean(raw, known);
        clip(raw, s.kappa);
        normalize(raw, share);
        return raw;
    }

    static double[] samplingProbabilities(WeightSettings s, String[] domains, double[] share, double[] lambda,
                                          double[] gradientSecondMoment) {
        int k = domains.length;
        double[] p = new double[k];
        switch (s.samplingPolicy) {
            case PROPORTIONAL:
                System.arraycopy(share, 0, p, 0, k);
                break;
            case UNIFORM:
                java.util.Arrays.fill(p, 1.0);
                break;
            case STATIC: {
                boolean[] known = new boolean[k];
                for (int i = 0; i < k; i++) {
                    Double v = s.staticSamplingWeights.get(domains[i]);
                    known[i] = v != null;
                    p[i] = v == null ? Double.NaN : v;
                }
                fillUnknownWithMean(p, known);
                break;
            }
            case VA: {
                // p_VA ∝ π λ √M (Cauchy–Schwarz minimizer of Σ (πλ)² M / p), then mixed with π
                double[] root = new double[k];
                boolean[] known = new boolean[k];
                for (int i = 0; i < k; i++) {
                    known[i] = Double.isFinite(gradientSecondMoment[i]) && gradientSecondMoment[i] >= 0;
                    root[i] = known[i] ? Math.sqrt(gradientSecondMoment[i]) : Double.NaN;
                }
                fillUnknownWithMean(root, known);
                for (int i = 0; i < k; i++) {
                    p[i] = share[i] * lambda[i] * root[i];
                }
                if (sum(p) <= 0) {
                    System.arraycopy(share, 0, p, 0, k);
                }
                scaleToOne(p);
                double[] pi = share.clone();
                scaleToOne(pi);
                for (int i = 0; i < k; i++) {
                    p[i] = (1.0 - s.epsilon) * p[i] + s.epsilon * pi[i];
                }
                break;
            }
            default:
                throw new IllegalStateException(s.samplingPolicy.name());
        }
        if (sum(p) <= 0) {
            java.util.Arrays.fill(p, 1.0);
        }
        scaleToOne(p);
        return p;
    }

    private static void fillUnknownWithMean(double[] v, boolean[] known) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (known[i]) {
                sum += v[i];
                n++;
            }
        }
        double mean = n == 0 ? 1.0 : sum / n;
        for (int i = 0; i < v.length; i++) {
            if (!known[i]) {
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
