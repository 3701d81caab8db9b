package io.domainmix.core.offline;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.fgls.FglsStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * OLS and one-shot FGLS of linear regression in closed form, from the per-domain sufficient
 * statistics of the rows: the same {@link FglsEstimator} the job's fgls policy solves with, so
 * that the reference and the streaming estimate differ only by what the stream does.
 */
public final class LinearReferenceFit {
    private LinearReferenceFit() {}

    /** Each domain's least-squares statistics, in {@link DomainRows#domains()} order. */
    public static List<FglsStatistics> statistics(DomainRows rows, boolean intercept) {
        List<FglsStatistics> out = new ArrayList<>();
        for (String d : rows.domains()) {
            FglsStatistics s = new FglsStatistics(rows.dimension(), intercept);
            for (Example e : rows.of(d)) {
                s.add(e.x, e.y, e.weight);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * OLS, σ̂²_k from its residuals (degrees of freedom as in {@link FglsEstimator}), λ_k ∝ 1/σ̂²_k,
     * and FGLS {@code θ = (Σ λ_k G_k)⁻¹ Σ λ_k b_k}.
     */
    public static ReferenceFit fit(DomainRows rows, boolean intercept) {
        List<FglsStatistics> stats = statistics(rows, intercept);
        FglsEstimator.NoiseEstimate noise = FglsEstimator.estimateNoise(stats);
        if (noise == null) {
            throw new IllegalArgumentException("the training rows do not determine a least-squares fit");
        }
        double[] share = rows.shares();
        double[] lambda = ReferenceFit.inverseWeights(noise.noiseVariance, share);
        double[] fgls = FglsEstimator.weightedSolve(stats, lambda);
        return new ReferenceFit(rows.domains(), share, noise.olsTheta, noise.noiseVariance, lambda, fgls);
    }
}
