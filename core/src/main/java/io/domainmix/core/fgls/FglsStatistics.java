package io.domainmix.core.fgls;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The sufficient statistics of one domain for least squares: {@code G = Σ w z zᵀ},
 * {@code b = Σ w z y}, {@code s = Σ w y²}, {@code n} (count), where {@code z = x}, or
 * {@code [x, 1]} when the model fits an intercept, and w is the example's base weight.
 *
 * <p>Only the upper triangle of G (i ≤ j) is maintained; {@link #gramMatrix()} returns the full
 * symmetric matrix. A public-field POJO so that it can sit in Flink state as is.
 */
public final class FglsStatistics {
    /** Length of z: the feature dimension, plus one with an intercept. */
    public int p;
    public boolean intercept;
    /** Row-major p × p, upper triangle meaningful. */
    public double[] gram;
    public double[] xty;
    public double yy;
    public long n;

    public FglsStatistics() {}

    public FglsStatistics(int dimension, boolean intercept) {
        this.intercept = intercept;
        this.p = intercept ? dimension + 1 : dimension;
        this.gram = new double[p * p];
        this.xty = new double[p];
    }

    public FglsStatistics copy() {
        FglsStatistics c = new FglsStatistics();
        c.p = p;
        c.intercept = intercept;
        c.gram = gram.clone();
        c.xty = xty.clone();
        c.yy = yy;
        c.n = n;
        return c;
    }

    /** Rank-1 update with one example: O(p²/2). */
    public void add(double[] x, double y, double weight) {
        int d = intercept ? p - 1 : p;
        for (int i = 0; i < d; i++) {
            double wxi = weight * x[i];
            int row = i * p;
            for (int j = i; j < d; j++) {
                gram[row + j] += wxi * x[j];
            }
            if (intercept) {
                gram[row + d] += wxi;
            }
            xty[i] += wxi * y;
        }
        if (intercept) {
            gram[d * p + d] += weight;
            xty[d] += weight * y;
        }
        yy += weight * y * y;
        n++;
    }

    /**
     * Rank-B update with a micro-batch: {@code G += Zᵀ W Z}, {@code b += Zᵀ W y}, where the rows
     * of {@code z} (count × p, row-major; already augmented with the 1 when there is an
     * intercept) are the examples, with EJML's matrix product. Equal to B rank-1 updates (tested)
     * but not faster: EJML fills the whole p × p product where {@link #add} fills the upper
     * triangle, and measured 0.5–0.6× the rank-1 rate at d = 20 and 200 (benchmarks). For
     * callers that already hold a batch as a matrix.
     *
     * @param z scratch rows; multiplied in place by √w when weights are not all one
     */
    public void addBatch(double[] z, double[] y, double[] weight, int count) {
        for (int r = 0; r < count; r++) {
            double w = weight[r];
            if (w != 1.0) {
                double sw = Math.sqrt(w);
                for (int c = 0; c < p; c++) {
                    z[r * p + c] *= sw;
                }
            }
            for (int c = 0; c < p; c++) {
                xty[c] += z[r * p + c] * (w == 1.0 ? y[r] : Math.sqrt(w) * y[r]);
            }
            yy += w * y[r] * y[r];
        }
        DMatrixRMaj zm = DMatrixRMaj.wrap(count, p, z);
        DMatrixRMaj gm = DMatrixRMaj.wrap(p, p, gram);
        CommonOps_DDRM.multAddTransA(zm, zm, gm);
        n += count;
    }

    /** Adds another domain's (or partition's) statistics. */
    public void merge(FglsStatistics o) {
        for (int i = 0; i < gram.length; i++) {
            gram[i] += o.gram[i];
        }
        for (int i = 0; i < p; i++) {
            xty[i] += o.xty[i];
        }
        yy += o.yy;
        n += o.n;
    }

    /** The full symmetric p × p Gram matrix (a new matrix). */
    public DMatrixRMaj gramMatrix() {
        DMatrixRMaj g = new DMatrixRMaj(p, p);
        addGramTo(g, 1.0);
        return g;
    }

    /** {@code target += scale · G}, symmetric. */
    void addGramTo(DMatrixRMaj target, double scale) {
        double[] t = target.data;
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                double v = scale * gram[i * p + j];
                t[i * p + j] += v;
                if (j != i) {
                    t[j * p + i] += v;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "FglsStatistics{p=" + p + ", n=" + n + ", yy=" + yy + ", xty=" + Arrays.toString(xty) + "}";
    }
}
