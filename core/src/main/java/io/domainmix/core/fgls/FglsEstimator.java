package io.domainmix.core.fgls;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * One-shot feasible generalized least squares from per-domain sufficient statistics.
 *
 * <ol>
 *   <li>OLS: {@code θ_OLS = (Σ_k G_k + ρI)⁻¹ Σ_k b_k}, ρ = {@value #RIDGE_FACTOR}·tr(G)/p.</li>
 *   <li>{@code RSS_k = s_k − 2 θᵀ b_k + θᵀ G_k θ} at θ_OLS: the residuals without the data.</li>
 *   <li>{@code σ̂_k² = RSS_k / max(n_k − tr(G_k G⁻¹), 1)}: domain k's share of the p fitted
 *       parameters comes off its degrees of freedom (the shares sum to p).</li>
 *   <li>The caller turns σ̂² into loss weights; {@link #weightedSolve} gives
 *       {@code θ_FGLS = (Σ λ_k G_k + ρI)⁻¹ Σ λ_k b_k}.</li>
 * </ol>
 *
 * Every solve is a Cholesky factorization (the matrices are symmetric positive definite
 * with the ridge); no explicit inverse is formed.
 */
public final class FglsEstimator {
    public static final double RIDGE_FACTOR = 1e-8;

    private FglsEstimator() {}

    /** Result of the OLS pass: the estimate and each domain's residual variance. */
    public static final class NoiseEstimate {
        public final double[] olsTheta;
        public final double[] rss;
        public final double[] degreesOfFreedom;
        public final double[] noiseVariance;

        NoiseEstimate(double[] olsTheta, double[] rss, double[] degreesOfFreedom, double[] noiseVariance) {
            this.olsTheta = olsTheta;
            this.rss = rss;
            this.degreesOfFreedom = degreesOfFreedom;
            this.noiseVariance = noiseVariance;
        }
    }

    /**
     * The OLS fit over all domains and every domain's σ̂² (NaN for a domain with no examples).
     * Returns null when there is nothing to fit yet (no examples at all).
     */
    public static NoiseEstimate estimateNoise(List<FglsStatistics> domains) {
        int p = domains.get(0).p;
        double[] ones = new double[domains.size()];
        java.util.Arrays.fill(ones, 1.0);
        DMatrixRMaj g = weightedGram(domains, ones);
        if (g == null) {
            return null;
        }
        LinearSolverDense<DMatrixRMaj> solver = choleskyOf(g);
        if (solver == null) {
            return null;
        }
        DMatrixRMaj rhs = weightedXty(domains, ones);
        DMatrixRMaj theta = new DMatrixRMaj(p, 1);
        solver.solve(rhs, theta);
        int k = domains.size();
        double[] rss = new double[k];
        double[] dof = new double[k];
        double[] sigma2 = new double[k];
        DMatrixRMaj share = new DMatrixRMaj(p, p);
        for (int i = 0; i < k; i++) {
            FglsStatistics s = domains.get(i);
            if (s.n == 0) {
                rss[i] = dof[i] = sigma2[i] = Double.NaN;
                continue;
            }
            rss[i] = residualSumOfSquares(s, theta.data);
            // tr(G⁻¹ G_k) = tr(G_k G⁻¹): domain k's share of the fitted parameters
            solver.solve(s.gramMatrix(), share);
            double trace = 0;
            for (int j = 0; j < p; j++) {
                trace += share.get(j, j);
            }
            dof[i] = s.n - trace;
            sigma2[i] = Math.max(rss[i], 0.0) / Math.max(dof[i], 1.0);
        }
        return new NoiseEstimate(theta.data, rss, dof, sigma2);
    }

    /** {@code s − 2 θᵀb + θᵀ G θ}: the (weighted) residual sum of squares of θ on that domain. */
    public static double residualSumOfSquares(FglsStatistics s, double[] theta) {
        int p = s.p;
        double quad = 0;
        for (int i = 0; i < p; i++) {
            double ti = theta[i];
            quad += s.gram[i * p + i] * ti * ti;
            double cross = 0;
            for (int j = i + 1; j < p; j++) {
                cross += s.gram[i * p + j] * theta[j];
            }
            quad += 2.0 * ti * cross;
        }
        double lin = 0;
        for (int i = 0; i < p; i++) {
            lin += theta[i] * s.xty[i];
        }
        return s.yy - 2.0 * lin + quad;
    }

    /** {@code (Σ λ_k G_k + ρI)⁻¹ Σ λ_k b_k}; null when nothing has been seen yet. */
    public static double[] weightedSolve(List<FglsStatistics> domains, double[] lambda) {
        DMatrixRMaj g = weightedGram(domains, lambda);
        if (g == null) {
            return null;
        }
        LinearSolverDense<DMatrixRMaj> solver = choleskyOf(g);
        if (solver == null) {
            return null;
        }
        DMatrixRMaj theta = new DMatrixRMaj(g.numRows, 1);
        solver.solve(weightedXty(domains, lambda), theta);
        return theta.data;
    }

    private static DMatrixRMaj weightedGram(List<FglsStatistics> domains, double[] lambda) {
        int p = domains.get(0).p;
        DMatrixRMaj g = new DMatrixRMaj(p, p);
        long n = 0;
        for (int i = 0; i < domains.size(); i++) {
            FglsStatistics s = domains.get(i);
            if (s.n > 0 && lambda[i] > 0) {
                s.addGramTo(g, lambda[i]);
                n += s.n;
            }
        }
        if (n == 0) {
            return null;
        }
        double trace = 0;
        for (int i = 0; i < p; i++) {
            trace += g.get(i, i);
        }
        double ridge = RIDGE_FACTOR * Math.max(trace, 1e-300) / p;
        for (int i = 0; i < p; i++) {
            g.add(i, i, ridge);
        }
        return g;
    }

    private static DMatrixRMaj weightedXty(List<FglsStatistics> domains, double[] lambda) {
        int p = domains.get(0).p;
        DMatrixRMaj b = new DMatrixRMaj(p, 1);
        for (int i = 0; i < domains.size(); i++) {
            FglsStatistics s = domains.get(i);
            if (s.n > 0 && lambda[i] > 0) {
                for (int j = 0; j < p; j++) {
                    b.data[j] += lambda[i] * s.xty[j];
                }
            }
        }
        return b;
    }

    private static LinearSolverDense<DMatrixRMaj> choleskyOf(DMatrixRMaj g) {
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(g.numRows);
        DMatrixRMaj a = solver.modifiesA() ? g.copy() : g;
        return solver.setA(a) ? solver : null;
    }
}
