package io.domainmix.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.model.BinaryLoss;
import io.domainmix.core.model.LinearRegression;
import io.domainmix.core.model.LogisticRegression;
import io.domainmix.core.rng.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

/**
 * The offline reference fits against oracles computed another way: FGLS from the statistics
 * against a QR least-squares solve on the raw rows, the logistic MLE against its closed form
 * on a binary feature, and the noise-driven weights against the noise that made the data.
 */
class ReferenceFitTest {
    private static final double EXACT = 1e-9;

    /** Linear data, x ~ N(0, I), θ* = (1, −2, 0.5), intercept 27, noise variance per domain. */
    private static List<Example> linearRows(double[] noise, int[] counts, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double[] theta = {1.0, -2.0, 0.5};
        List<Example> rows = new ArrayList<>();
        for (int k = 0; k < noise.length; k++) {
            for (int i = 0; i < counts[k]; i++) {
                double[] x = new double[theta.length];
                double f = 27.0;
                for (int j = 0; j < x.length; j++) {
                    x[j] = rng.nextGaussian();
                    f += theta[j] * x[j];
                }
                rows.add(new Example("d" + (k + 1), x, f + Math.sqrt(noise[k]) * rng.nextGaussian()));
            }
        }
        return rows;
    }

    /** (ZᵀWZ + ρI)⁻¹ZᵀWy as the least-squares solution of the stacked rows [√W Z; √ρ I], by QR. */
    private static double[] weightedLeastSquares(DomainRows rows, double[] lambda, double ridge) {
        int d = rows.dimension();
        int p = d + 1;
        int n = (int) rows.count();
        SimpleMatrix a = new SimpleMatrix(n + p, p);
        SimpleMatrix b = new SimpleMatrix(n + p, 1);
        int r = 0;
        List<String> domains = rows.domains();
        for (int k = 0; k < domains.size(); k++) {
            double s = Math.sqrt(lambda[k]);
            for (Example e : rows.of(domains.get(k))) {
                for (int j = 0; j < d; j++) {
                    a.set(r, j, s * e.x[j]);
                }
                a.set(r, d, s);
                b.set(r, 0, s * e.y);
                r++;
            }
        }
        for (int j = 0; j < p; j++) {
            a.set(n + j, j, Math.sqrt(ridge));
        }
        SimpleMatrix theta = a.solve(b);
        double[] out = new double[p];
        for (int j = 0; j < p; j++) {
            out[j] = theta.get(j, 0);
        }
        return out;
    }

    /** The ridge {@link FglsEstimator} adds: ρ = factor · tr(Σ λ_k G_k) / p. */
    private static double ridgeOf(DomainRows rows, double[] lambda) {
        int p = rows.dimension() + 1;
        double trace = 0;
        List<String> domains = rows.domains();
        for (int k = 0; k < domains.size(); k++) {
            for (Example e : rows.of(domains.get(k))) {
                double sq = 1.0;
                for (double v : e.x) {
                    sq += v * v;
                }
                trace += lambda[k] * sq;
            }
        }
        return FglsEstimator.RIDGE_FACTOR * trace / p;
    }

    @Test
    void olsAndFglsFromStatisticsEqualTheSolvesOnTheRawRows() {
        DomainRows rows = new DomainRows(linearRows(new double[] {0.2, 1, 7, 8}, new int[] {300, 250, 200, 350}, 3));
        ReferenceFit fit = LinearReferenceFit.fit(rows, true);
        double[] ones = {1, 1, 1, 1};
        assertArrayClose(weightedLeastSquares(rows, ones, ridgeOf(rows, ones)), fit.unweightedTheta());
        assertArrayClose(weightedLeastSquares(rows, fit.lossWeight(), ridgeOf(rows, fit.lossWeight())),
                fit.weightedTheta());
        // σ̂²_k: the OLS residuals of the raw rows over n_k − tr(G_k G⁻¹)
        SimpleMatrix g = new SimpleMatrix(4, 4);
        List<SimpleMatrix> gk = new ArrayList<>();
        for (String d : rows.domains()) {
            SimpleMatrix m = new SimpleMatrix(4, 4);
            for (Example e : rows.of(d)) {
                SimpleMatrix z = new SimpleMatrix(4, 1, true, e.x[0], e.x[1], e.x[2], 1.0);
                m = m.plus(z.mult(z.transpose()));
            }
            gk.add(m);
            g = g.plus(m);
        }
        for (int k = 0; k < 4; k++) {
            double rss = 0;
            for (Example e : rows.of(rows.domains().get(k))) {
                double r = e.y - new LinearRegression(3, true).output(fit.unweightedTheta(), e.x);
                rss += r * r;
            }
            double dof = rows.of(rows.domains().get(k)).size() - gk.get(k).mult(g.invert()).trace();
            assertEquals(rss / dof, fit.noiseLevel()[k], EXACT * rss / dof);
        }
    }

    @Test
    void lossWeightsFollowTheNoiseThatMadeTheData() {
        double[] noise = {0.2, 1, 7, 8};
        DomainRows rows = new DomainRows(linearRows(noise, new int[] {4000, 4000, 4000, 4000}, 11));
        ReferenceFit fit = LinearReferenceFit.fit(rows, true);
        double z = 0;
        for (int k = 0; k < 4; k++) {
            // σ̂² of 4,000 Gaussian residuals: relative standard error √(2/4000) ≈ 2.2 %; 10 % is 4.5 of them
            assertEquals(noise[k], fit.noiseLevel()[k], 0.10 * noise[k]);
            z += fit.share()[k] * fit.lossWeight()[k];
        }
        assertEquals(1.0, z, EXACT);
        assertEquals(40.0, fit.lossWeight()[0] / fit.lossWeight()[3], 0.15 * 40.0);
        assertEquals(27.0, fit.weightedTheta()[3], 0.05);
    }

    @Test
    void logisticMleHasZeroGradientAndEqualsTheClosedFormOnABinaryFeature() {
        // one binary feature with an intercept: the MLE fits each group's frequency exactly, so
        // intercept = logit(P(y=1 | x=0)) and slope = logit(P(y=1 | x=1)) − intercept
        SplitMix64 rng = new SplitMix64(5);
        List<Example> raw = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String domain = i % 3 == 0 ? "b" : "a";
            double x = rng.nextDouble() < 0.4 ? 1.0 : 0.0;
            double prob = x == 1.0 ? 0.7 : (domain.equals("a") ? 0.2 : 0.35);
            raw.add(new Example(domain, new double[] {x}, rng.nextDouble() < prob ? 1.0 : 0.0));
        }
        DomainRows rows = new DomainRows(raw);
        double[] lambda = {1.0, 2.5};
        double[] theta = LogisticReferenceFit.maximumLikelihood(rows, true, lambda);
        double[] sumY = new double[2];
        double[] sumW = new double[2];
        double[] grad = new double[2];
        for (int k = 0; k < 2; k++) {
            for (Example e : rows.of(rows.domains().get(k))) {
                int g = (int) e.x[0];
                sumY[g] += lambda[k] * e.y;
                sumW[g] += lambda[k];
                double r = lambda[k] * (BinaryLoss.sigmoid(theta[0] * e.x[0] + theta[1]) - e.y);
                grad[0] += r * e.x[0];
                grad[1] += r;
            }
        }
        // the ridge ρ = 1e-6 moves the optimum by about ρθ/H: well below 1e-5 here
        double intercept = logit(sumY[0] / sumW[0]);
        assertEquals(intercept, theta[1], 1e-5);
        assertEquals(logit(sumY[1] / sumW[1]) - intercept, theta[0], 1e-5);
        assertEquals(0.0, grad[0] + LogisticReferenceFit.RIDGE * theta[0], 1e-7);
        assertEquals(0.0, grad[1] + LogisticReferenceFit.RIDGE * theta[1], 1e-7);

        ReferenceFit fit = LogisticReferenceFit.fit(rows, true);
        LogisticRegression model = new LogisticRegression(1, true);
        for (int k = 0; k < 2; k++) {
            List<Example> r = rows.of(rows.domains().get(k));
            assertEquals(HeldOutLoss.mean(model, fit.unweightedTheta(), r), fit.noiseLevel()[k], EXACT);
        }
        // domain a's labels at x = 0 are the less uncertain (0.2 against 0.35): its loss is lower, its weight higher
        assertTrue(fit.lossWeight()[0] > fit.lossWeight()[1], java.util.Arrays.toString(fit.lossWeight()));
    }

    @Test
    void heldOutLossesWeighByRowsAndByLambda() {
        List<Example> raw = List.of(new Example("a", new double[] {1}, 1), new Example("a", new double[] {1}, 3),
                new Example("b", new double[] {1}, 5));
        DomainRows rows = new DomainRows(raw);
        LinearRegression model = new LinearRegression(1, false);
        double[] per = HeldOutLoss.perDomain(model, new double[] {2}, rows, rows.domains());
        assertArrayClose(new double[] {0.5, 4.5}, per);
        assertEquals((0.5 * 2 + 4.5) / 3, HeldOutLoss.overall(per, rows, rows.domains()), EXACT);
        assertEquals(0.5 * 1.5 * 0.5 + 0.5 * 0.5 * 4.5, HeldOutLoss.weighted(per, new double[] {0.5, 0.5},
                new double[] {1.5, 0.5}), EXACT);
        assertThrows(IllegalArgumentException.class, () -> new DomainRows(List.of(new Example("a", new double[] {1}, 1),
                new Example("b", new double[] {1, 2}, 1))));
    }

    private static double logit(double q) {
        return Math.log(q / (1 - q));
    }

    private static void assertArrayClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], EXACT * Math.max(1.0, Math.abs(expected[i])), "entry " + i);
        }
    }
}
