package io.domainmix.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.LabelKind;
import io.domainmix.core.rng.SplitMix64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** ALGORITHMS.md §6: gradients of every model match central finite differences (relative error < 1e-6). */
class GradientCheckTest {
    static Stream<ModelSpec> models() {
        return Stream.of(
                ModelSpec.linear(7, false), ModelSpec.linear(7, true),
                ModelSpec.logistic(7, false), ModelSpec.logistic(7, true),
                ModelSpec.mlp(5, 4, Activation.TANH, LabelKind.REAL),
                ModelSpec.mlp(5, 4, Activation.TANH, LabelKind.BINARY),
                ModelSpec.mlp(5, 4, Activation.RELU, LabelKind.REAL),
                ModelSpec.mlp(5, 4, Activation.RELU, LabelKind.BINARY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientMatchesCentralDifferences(ModelSpec spec) {
        Model m = spec.create();
        SplitMix64 rng = new SplitMix64(11);
        for (int trial = 0; trial < 20; trial++) {
            double[] theta = new double[m.parameterCount()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = rng.nextGaussian();
            }
            double[] x = new double[spec.dimension()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian();
            }
            double y = spec.labelKind() == LabelKind.BINARY ? (rng.nextDouble() < 0.5 ? 0 : 1) : rng.nextGaussian();
            double[] g = new double[theta.length];
            double loss = m.lossAndGradient(theta, x, y, g);
            assertEquals(m.loss(theta, x, y), loss, 1e-12);
            double h = 1e-5;
            double num = 0;
            double den = 0;
            for (int i = 0; i < theta.length; i++) {
                double saved = theta[i];
                theta[i] = saved + h;
                double up = m.loss(theta, x, y);
                theta[i] = saved - h;
                double down = m.loss(theta, x, y);
                theta[i] = saved;
                double fd = (up - down) / (2 * h);
                num += (fd - g[i]) * (fd - g[i]);
                den += g[i] * g[i] + fd * fd;
            }
            double rel = Math.sqrt(num / Math.max(den, 1e-300));
            assertTrue(rel < 1e-6, spec + " trial " + trial + ": relative error " + rel);
        }
    }

    @Test
    void logisticLossIsStableForLargeLogits() {
        assertEquals(0.0, BinaryLoss.logLoss(800, 1), 1e-12);
        assertEquals(800.0, BinaryLoss.logLoss(800, 0), 1e-9);
        assertEquals(800.0, BinaryLoss.logLoss(-800, 1), 1e-9);
        assertEquals(Math.log(2), BinaryLoss.logLoss(0, 1), 1e-15);
    }
}
