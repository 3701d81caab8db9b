package io.domainmix.core.offline;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.BinaryLoss;
import io.domainmix.core.model.LogisticRegression;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The (weighted) maximum-likelihood logistic regression by Newton's method, and the one-shot
 * reweighting that mirrors FGLS: the MLE with equal weights, each domain's mean log-loss under
 * it, λ_k ∝ 1 / that loss (ERMA's weights, computed once on all the rows), then the MLE with
 * those weights.
 *
 * <p>Newton step: {@code θ ← θ − H⁻¹ g} with {@code g = Σ wλ (σ(f) − y) z + ρθ} and
 * {@code H = Σ wλ σ(f)(1 − σ(f)) z zᵀ + ρI}; ρ = {@value #RIDGE} keeps H positive definite
 * when the classes are separable (the MLE then does not exist and θ would grow without bound).
 */
public final class LogisticReferenceFit {
    public static final double RIDGE = 1e-6;
    /** Newton stops when the gradient's largest entry is below this, relative to the row count. */
    public static final double TOLERANCE = 1e-10;
    public static final int MAX_ITERATIONS = 100;

    private LogisticReferenceFit() {}

    public static ReferenceFit fit(DomainRows rows, boolean intercept) {
        List<String> domains = rows.domains();
        double[] ones = new double[domains.size()];
        java.util.Arrays.fill(ones, 1.0);
        double[] mle = maximumLikelihood(rows, intercept, ones);
        LogisticRegression model = new LogisticRegression(rows.dimension(), intercept);
        double[] level = new double[domains.size()];
        for (int k = 0; k < level.length; k++) {
            level[k] = HeldOutLoss.mean(model, mle, rows.of(domains.get(k)));
        }
        double[] share = rows.shares();
        double[] lambda = ReferenceFit.inverseWeights(level, share);
        double[] weighted = maximumLikelihood(rows, intercept, lambda);
        return new ReferenceFit(domains, share, mle, level, lambda, weighted);
    }

    /** The minimizer of {@code Σ_k λ_k Σ_{i∈k} w_i ℓ(θ; x_i, y_i) + ρ‖θ‖²/2}. */
    public static double[] maximumLikelihood(DomainRows rows, boolean intercept, double[] domainWeight) {
        int d = rows.dimension();
        int p = intercept ? d + 1 : d;
        double[] theta = new double[p];
        double[] z = new double[p];
        DMatrixRMaj h = new DMatrixRMaj(p, p);
        DMatrixRMaj g = new DMatrixRMaj(p, 1);
        DMatrixRMaj step = new DMatrixRMaj(p, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(p);
        List<String> domains = rows.domains();
        double n = rows.count();
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            h.zero();
            g.zero();
            for (int k = 0; k < domains.size(); k++) {
                for (Example e : rows.of(domains.get(k))) {
                    System.arraycopy(e.x, 0, z, 0, d);
                    if (intercept) {
                        z[d] = 1.0;
                    }
                    double f = 0;
                    for (int j = 0; j < p; j++) {
                        f += theta[j] * z[j];
                    }
                    double s = BinaryLoss.sigmoid(f);
                    double w = domainWeight[k] * e.weight;
                    double slope = w * (s - e.y);
                    double curve = w * s * (1.0 - s);
                    for (int i = 0; i < p; i++) {
                        g.data[i] += slope * z[i];
                        int row = i * p;
                        for (int j = i; j < p; j++) {
                            h.data[row + j] += curve * z[i] * z[j];
                        }
                    }
                }
            }
            double largest = 0;
            for (int i = 0; i < p; i++) {
                g.data[i] += RIDGE * theta[i];
                h.data[i * p + i] += RIDGE;
                for (int j = 0; j < i; j++) {
                    h.data[i * p + j] = h.data[j * p + i];
                }
                largest = Math.max(largest, Math.abs(g.data[i]));
            }
            if (largest <= TOLERANCE * Math.max(n, 1)) {
                return theta;
            }
            DMatrixRMaj a = solver.modifiesA() ? h.copy() : h;
            if (!solver.setA(a)) {
                throw new IllegalStateException("the Hessian is not positive definite");
            }
            solver.solve(g, step);
            for (int i = 0; i < p; i++) {
                theta[i] -= step.data[i];
            }
        }
        return theta;
    }
}
