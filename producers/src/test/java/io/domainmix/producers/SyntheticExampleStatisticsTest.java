package io.domainmix.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples a synthetic run produces, per domain, have the specified distribution: features
 * {@code x ~ N(0, C I)} and label noise {@code y − f*(x) ~ N(0, σ²)} independent of x, or for
 * binary labels the specified flip rate q.
 *
 * <p>Tolerance: every statistic is compared with its expectation within 5 of its standard
 * errors, computed from n (two-sided, 5.7e-7 per check for a Gaussian statistic). n = 20,000,
 * so for instance the variance of a feature must be within 5 · C · √(2/n) = 5% of C: a
 * generator that used C as a standard deviation instead of a variance fails by far.
 */
class SyntheticExampleStatisticsTest {
    private static final int N = 20_000;
    private static final double Z = 5.0;

    @ParameterizedTest
    @ValueSource(strings = {"linear", "mlp"})
    void regressionDomainsHaveTheSpecifiedCovarianceAndNoise(String model) {
        int d = 5;
        SyntheticPlan plan = SyntheticPlan.ofDomainOptions("stats", ModelType.parse(model), d, 2024,
                List.of("name=wide,scale=4,noise=20", "name=narrow,scale=0.25,noise=0.5", "name=exact,scale=1,noise=0"),
                0, N);
        GroundTruth truth = plan.groundTruth();
        GroundTruth.TargetFunction f = truth.target();
        List<SyntheticDomain> gens = plan.generators(truth);
        for (int k = 0; k < gens.size(); k++) {
            double c = plan.domains().get(k).spec().featureScale();
            double s2 = plan.domains().get(k).spec().noiseVariance();
            String name = plan.domains().get(k).name();
            double[] mean = new double[d];
            double[][] second = new double[d][d];
            double rSum = 0;
            double rSq = 0;
            double[] rx = new double[d];
            for (int i = 0; i < N; i++) {
                Example e = gens.get(k).next();
                assertEquals(name, e.domain);
                assertEquals(d, e.x.length);
                double r = e.y - f.at(e.x);
                rSum += r;
                rSq += r * r;
                for (int a = 0; a < d; a++) {
                    mean[a] += e.x[a] / N;
                    rx[a] += r * e.x[a] / N;
                    for (int b = 0; b < d; b++) {
                        second[a][b] += e.x[a] * e.x[b] / N;
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                assertEquals(0.0, mean[a], Z * Math.sqrt(c / N), name + ": mean of x" + a);
                assertEquals(c, second[a][a], Z * c * Math.sqrt(2.0 / N), name + ": variance of x" + a);
                for (int b = a + 1; b < d; b++) {
                    assertEquals(0.0, second[a][b], Z * c / Math.sqrt(N), name + ": covariance of x" + a + ", x" + b);
                }
            }
            double rMean = rSum / N;
            double rVar = rSq / N;
            if (s2 == 0) {
                assertEquals(0.0, rVar, 1e-20, name + ": no noise means exact labels");
                continue;
            }
            assertEquals(0.0, rMean, Z * Math.sqrt(s2 / N), name + ": mean of the label noise");
            assertEquals(s2, rVar, Z * s2 * Math.sqrt(2.0 / N), name + ": variance of the label noise");
            for (int a = 0; a < d; a++) {
                assertEquals(0.0, rx[a], Z * Math.sqrt(s2 * c / N), name + ": noise correlated with x" + a);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void binaryDomainsFlipLabelsAtTheSpecifiedRate() {
        int d = 4;
        SyntheticPlan plan = SyntheticPlan.ofDomainOptions("flips", ModelType.LOGISTIC, d, 99,
                List.of("name=clean,scale=10,flip=0", "name=noisy,scale=10,flip=0.3", "name=small,scale=1,flip=0.05"), 0, N);
        GroundTruth truth = plan.groundTruth();
        GroundTruth.TargetFunction f = truth.target();
        List<SyntheticDomain> gens = plan.generators(truth);
        for (int k = 0; k < gens.size(); k++) {
            double q = plan.domains().get(k).spec().flipRate();
            String name = plan.domains().get(k).name();
            // P(y ≠ [f > 0]) = q + (1 − 2q) · min(σ(f), 1 − σ(f)) for each example, given its f
            double expected = 0;
            double variance = 0;
            long disagreements = 0;
            for (int i = 0; i < N; i++) {
                Example e = gens.get(k).next();
                assertTrue(e.y == 0.0 || e.y == 1.0, "binary label");
                double fx = f.at(e.x);
                double s = 1.0 / (1.0 + Math.exp(-fx));
                double p = q + (1 - 2 * q) * Math.min(s, 1 - s);
                expected += p;
                variance += p * (1 - p);
                if (e.y != (fx > 0 ? 1.0 : 0.0)) {
                    disagreements++;
                }
            }
            assertEquals(expected, disagreements, Z * Math.sqrt(variance),
                    name + ": labels that disagree with the noise-free sign (q = " + q + ")");
        }
    }
}
