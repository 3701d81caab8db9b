package io.domainmix.core.sim;

import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import java.util.List;

/**
 * The weights that know a change: for a linear experiment, the GLS loss weights and the VA
 * sampling probabilities after its change point, from the true noise variances and arrival
 * shares in force there (ALGORITHMS.md §2 and §3):
 * <ul>
 *   <li>{@code λ*_k = (1/σ_k²) / Σ_j π_j/σ_j²}, so that {@code Σ π_k λ*_k = 1};</li>
 *   <li>{@code p*_k = (1−ε) π_k λ*_k √M_k / Σ_j π_j λ*_j √M_j + ε π_k}, with the gradient's second
 *       moment at the optimum {@code M_k = σ_k² (C_k d + 1 if an intercept)} (x ~ N(0, C_k I)).</li>
 * </ul>
 * Domains that no longer arrive after the change have π = 0 and get NaN.
 */
public final class ChangeOracle {
    private final double[] lossWeights;
    private final double[] samplingProbabilities;

    private ChangeOracle(double[] lossWeights, double[] samplingProbabilities) {
        this.lossWeights = lossWeights;
        this.samplingProbabilities = samplingProbabilities;
    }

    /** The oracle just after {@code experiment}'s change point, with VA's mixing ε. */
    public static ChangeOracle afterChange(Experiment experiment, double epsilon) {
        if (!experiment.changes()) {
            throw new IllegalArgumentException("experiment " + experiment.name() + " has no change point");
        }
        return at(experiment, experiment.changeAt(), epsilon);
    }

    /** The oracle at fraction {@code f} of the stream. */
    public static ChangeOracle at(Experiment experiment, double f, double epsilon) {
        List<DomainSpec> domains = experiment.domains();
        int k = domains.size();
        double[] share = new double[k];
        double rates = 0;
        for (int i = 0; i < k; i++) {
            if (domains.get(i).activeAt(f)) {
                share[i] = domains.get(i).relativeRate();
                rates += share[i];
            }
        }
        double z = 0;
        for (int i = 0; i < k; i++) {
            share[i] /= rates;
            z += share[i] / domains.get(i).noiseVarianceAt(f);
        }
        double[] lambda = new double[k];
        double[] va = new double[k];
        double vaTotal = 0;
        int extra = experiment.intercept() ? 1 : 0;
        for (int i = 0; i < k; i++) {
            DomainSpec d = domains.get(i);
            double noise = d.noiseVarianceAt(f);
            lambda[i] = share[i] > 0 ? 1.0 / noise / z : Double.NaN;
            double m = noise * (d.featureScale() * experiment.dimension() + extra);
            va[i] = share[i] > 0 ? share[i] * lambda[i] * Math.sqrt(m) : 0;
            vaTotal += va[i];
        }
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = share[i] > 0 ? (1 - epsilon) * va[i] / vaTotal + epsilon * share[i] : Double.NaN;
        }
        return new ChangeOracle(lambda, p);
    }

    /** λ* in the experiment's domain order. */
    public double lossWeight(int domain) {
        return lossWeights[domain];
    }

    /** p* in the experiment's domain order. */
    public double samplingProbability(int domain) {
        return samplingProbabilities[domain];
    }
}
