package io.domainmix.core.fgls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.rng.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

/**
 * ALGORITHMS.md §6: FGLS and GLS from streaming statistics equal the same estimators computed
 * directly from the raw data; RSS from the statistics equals the residuals of the data.
 */
class FglsEstimatorTest {
    private static final double TOLERANCE = 1e-9;
    private static final int D = 6;
    private static final double[] NOISE = {1.0, 20.0, 4.0};
    private static final int[] COUNTS = {400, 300, 250};

    /** Raw data of three domains, kept as matrices for the direct computations. */
    private final List<SimpleMatrix> xs = new ArrayList<>();
    private final List<SimpleMatrix> ys = new ArrayList<>();
    private final List<FglsStatistics> stats = new ArrayList<>();

    FglsEstimatorTest() {
        SplitMix64 rng = new SplitMix64(7);
        double[] theta = new double[D];
        for (int i = 0; i < D; i++) {
            theta[i] = rng.nextGaussian();
        }
        for (int k = 0; k < NOISE.length; k++) {
            SimpleMatrix x = new SimpleMatrix(COUNTS[k], D);
            SimpleMatrix y = new SimpleMatrix(COUNTS[k], 1);
            FglsStatistics s = new FglsStatistics(D, false);
            for (int n = 0; n < COUNTS[k]; n++) {
                double[] row = new double[D];
                double f = 0;
                for (int i = 0; i < D; i++) {
                    row[i] = (k + 1) * rng.nextGaussian();
                    x.set(n, i, row[i]);
                    f += theta[i] * row[i];
                }
                double label = f + Math.sqrt(NOISE[k]) * rng.nextGaussian();
                y.set(n, 0, label);
                s.add(row, label, 1.0);
            }
            xs.add(x);
            ys.add(y);
            stats.add(s);
        }
    }

    /** (Σ λ_k X_kᵀ X_k)⁻¹ Σ λ_k X_kᵀ y_k from the raw matrices (plus the same tiny ridge). */
    private double[] directWeighted(double[] lambda) {
        SimpleMatrix g = new SimpleMatrix(D, D);
        SimpleMatrix b = new SimpleMatrix(D, 1);
        for (int k = 0; k < xs.size(); k++) {
            g = g.plus(xs.get(k).transpose().mult(xs.get(k)).scale(lambda[k]));
            b = b.plus(xs.get(k).transpose().mult(ys.get(k)).scale(lambda[k]));
        }
        double ridge = FglsEstimator.RIDGE_FACTOR * g.trace() / D;
        g = g.plus(SimpleMatrix.identity(D).scale(ridge));
        SimpleMatrix theta = g.solve(b);
        double[] out = new double[D];
        for (int i = 0; i < D; i++) {
            out[i] = theta.get(i);
        }
        return out;
    }

    private static void assertClose(double[] expected, double[] actual) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * scale, "coordinate " + i);
        }
    }

    @Test
    void glsWithTrueNoiseEqualsDirectWeightedLeastSquares() {
        double[] lambda = new double[NOISE.length];
        for (int k = 0; k < lambda.length; k++) {
            lambda[k] = 1.0 / NOISE[k];
        }
        assertClose(directWeighted(lambda), FglsEstimator.weightedSolve(stats, lambda));
    }

    @Test
    void rssAndNoiseFromStatisticsEqualTheDataResiduals() {
        FglsEstimator.NoiseEstimate est = FglsEstimator.estimateNoise(stats);
        double[] ols = directWeighted(new double[] {1, 1, 1});
        assertClose(ols, est.olsTheta);
        SimpleMatrix theta = new SimpleMatrix(D, 1, true, ols);
        SimpleMatrix gInverse = new SimpleMatrix(D, D);
        for (SimpleMatrix x : xs) {
            gInverse = gInverse.plus(x.transpose().mult(x));
        }
        gInverse = gInverse.invert(); // fine for a test oracle; the estimator itself never inverts
        double traceSum = 0;
        for (int k = 0; k < xs.size(); k++) {
            SimpleMatrix r = ys.get(k).minus(xs.get(k).mult(theta));
            double rss = r.dot(r);
            assertEquals(rss, est.rss[k], TOLERANCE * rss, "RSS of domain " + k);
            double share = xs.get(k).transpose().mult(xs.get(k)).mult(gInverse).trace();
            assertEquals(COUNTS[k] - share, est.degreesOfFreedom[k], 1e-7);
            assertEquals(rss / (COUNTS[k] - share), est.noiseVariance[k], TOLERANCE * rss);
            traceSum += share;
        }
        assertEquals(D, traceSum, 1e-6, "the domains' shares of the fitted parameters sum to d");
    }

    @Test
    void fglsFromStatisticsEqualsFglsFromRawData() {
        FglsEstimator.NoiseEstimate est = FglsEstimator.estimateNoise(stats);
        double[] lambda = new double[NOISE.length];
        for (int k = 0; k < lambda.length; k++) {
            lambda[k] = 1.0 / est.noiseVariance[k];
        }
        assertClose(directWeighted(lambda), FglsEstimator.weightedSolve(stats, lambda));
        // and the noise estimates are near the truth (sampling error ~ sqrt(2/n))
        for (int k = 0; k < NOISE.length; k++) {
            assertEquals(NOISE[k], est.noiseVariance[k], 0.35 * NOISE[k]);
        }
    }

    @Test
    void microBatchUpdateEqualsRankOneUpdates() {
        SplitMix64 rng = new SplitMix64(5);
        FglsStatistics one = new FglsStatistics(D, true);
        FglsStatistics batch = new FglsStatistics(D, true);
        int count = 37;
        double[] z = new double[count * (D + 1)];
        double[] y = new double[count];
        double[] w = new double[count];
        for (int r = 0; r < count; r++) {
            double[] x = new double[D];
            for (int i = 0; i < D; i++) {
                x[i] = rng.nextGaussian();
                z[r * (D + 1) + i] = x[i];
            }
            z[r * (D + 1) + D] = 1.0;
            y[r] = rng.nextGaussian();
            w[r] = r % 3 == 0 ? 2.5 : 1.0;
            one.add(x, y[r], w[r]);
        }
        batch.addBatch(z, y, w, count);
        DMatrixRMaj a = one.gramMatrix();
        DMatrixRMaj b = batch.gramMatrix();
        for (int i = 0; i < a.data.length; i++) {
            assertEquals(a.data[i], b.data[i], 1e-10);
        }
        for (int i = 0; i <= D; i++) {
            assertEquals(one.xty[i], batch.xty[i], 1e-10);
        }
        assertEquals(one.yy, batch.yy, 1e-10);
        assertEquals(one.n, batch.n);
    }

    @Test
    void interceptIsFitted() {
        FglsStatistics s = new FglsStatistics(1, true);
        SplitMix64 rng = new SplitMix64(9);
        for (int i = 0; i < 2000; i++) {
            double x = rng.nextGaussian();
            s.add(new double[] {x}, 3.0 + 2.0 * x + 0.01 * rng.nextGaussian(), 1.0);
        }
        double[] theta = FglsEstimator.weightedSolve(List.of(s), new double[] {1});
        assertEquals(2.0, theta[0], 1e-3);
        assertEquals(3.0, theta[1], 1e-3);
        assertTrue(FglsEstimator.estimateNoise(List.of(s)).noiseVariance[0] < 2e-4);
    }
}
