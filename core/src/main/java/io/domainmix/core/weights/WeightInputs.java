package io.domainmix.core.weights;

/**
 * What a weight rule may read, index-aligned over the K known domains; NaN marks a statistic not
 * yet available.
 */
public final class WeightInputs {
    public final String[] domains;
    /** π_k (sums to 1 over domains that have arrived). */
    public final double[] share;
    /** n_k: the examples behind the domain's estimates (summaries' counts with FGLS, arrivals otherwise). */
    public final long[] count;
    /** L̄_k: mean prequential loss. */
    public final double[] loss;
    /** σ̂²_k of the last FGLS solve. */
    public final double[] noiseVariance;
    /** M_k: mean ‖∇ℓ‖². */
    public final double[] gradientSecondMoment;
    /** Arrivals so far (the run's clock; 0 where unknown). */
    public final long arrivals;

    public WeightInputs(String[] domains, double[] share, long[] count, double[] loss, double[] noiseVariance,
                        double[] gradientSecondMoment, long arrivals) {
        this.domains = domains;
        this.share = share;
        this.count = count;
        this.loss = loss;
        this.noiseVariance = noiseVariance;
        this.gradientSecondMoment = gradientSecondMoment;
        this.arrivals = arrivals;
    }

    public int size() {
        return domains.length;
    }
}
