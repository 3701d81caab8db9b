package io.domainmix.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.sim.PolicySpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniformReferenceModelTest {

    /** Plain SGD on squared loss, every iterate kept: the oracle of the windows. */
    @Test
    void readsTheAverageOfTheLongerOfTheCurrentAndTheLastCompletedDoublingWindow() {
        Model model = ModelSpec.linear(2, true).create();
        UniformReferenceModel r = UniformReferenceModel.startingAt(new double[3]);
        SplitMix64 rng = new SplitMix64(3);
        double eta = 0.05;
        double[] theta = new double[3];
        List<double[]> iterates = new ArrayList<>();
        double[] scratch = new double[3];
        for (int n = 1; n <= 300; n++) {
            double[] x = {rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1};
            double y = 27 + 3 * x[0] - 2 * x[1] + (rng.nextDouble() - 0.5);
            double f = theta[0] * x[0] + theta[1] * x[1] + theta[2];
            theta = new double[] {theta[0] - eta * (f - y) * x[0], theta[1] - eta * (f - y) * x[1], theta[2] - eta * (f - y)};
            iterates.add(theta);
            r.train(model, x, y, 1.0, eta, scratch);
            assertArrayEquals(theta, r.theta, 1e-12);
            // windows [1,2), [2,4), [4,8), ...: the current one starts at the largest power of two ≤ n
            long start = Long.highestOneBit(n);
            long current = n - start + 1;
            long completed = start / 2;
            long from = completed > current ? completed : start;
            long to = completed > current ? start - 1 : n;
            double[] mean = new double[3];
            for (long i = from; i <= to; i++) {
                for (int j = 0; j < 3; j++) {
                    mean[j] += iterates.get((int) i - 1)[j] / (to - from + 1);
                }
            }
            assertArrayEquals(mean, r.scoringParameters(), 1e-9, "after step " + n);
        }
        assertEquals(300, r.steps);
    }

    @Test
    void aStepWithANonFiniteUpdateOrNoStepSizeLeavesItUntouched() {
        Model model = ModelSpec.linear(1, false).create();
        UniformReferenceModel r = UniformReferenceModel.startingAt(new double[] {1.0});
        double[] scratch = new double[1];
        r.train(model, new double[] {1e200}, 0.0, 1.0, 1.0, scratch);
        r.train(model, new double[] {1.0}, 2.0, 1.0, 0.0, scratch);
        assertArrayEquals(new double[] {1.0}, r.theta);
        assertEquals(0, r.steps);
    }

    /** The default {@code auto}: a reference model for ERMA on the linear model only; the others score under θ̄. */
    @Test
    void autoKeepsAReferenceModelForErmaOnTheLinearModelOnly() {
        ModelSpec linear = ModelSpec.linear(3, true);
        ModelSpec logistic = ModelSpec.logistic(3, true);
        ModelSpec mlp = ModelSpec.mlp(3, 4, io.domainmix.core.model.Activation.TANH, io.domainmix.core.data.LabelKind.REAL);
        assertEquals(ErmaReference.AUTO, new TrainerSettings().ermaReference);
        assertNotNull(referenceOf(linear, "erma+va", ErmaReference.AUTO));
        assertNull(referenceOf(logistic, "erma+va", ErmaReference.AUTO));
        assertNull(referenceOf(mlp, "erma+proportional", ErmaReference.AUTO));
        assertNotNull(referenceOf(logistic, "erma+va", ErmaReference.UNIFORM), "an explicit choice stands");
        assertNull(referenceOf(linear, "erma+va", ErmaReference.PUBLISHED), "an explicit choice stands");
        assertNull(referenceOf(linear, "fgls+va", ErmaReference.AUTO), "only ERMA reads the reference's losses");
    }

    private static UniformReferenceModel referenceOf(ModelSpec model, String policy, ErmaReference reference) {
        TrainerSettings s = new TrainerSettings(model, PolicySpec.parse(policy).weightSettings());
        s.ermaReference = reference;
        return Trainer.newState(s).uniformReference;
    }

    /** A restored state follows the settings it is attached to, not those it was written under. */
    @Test
    void aStateAttachedUnderOtherSettingsGetsTheReferenceTheyAskFor() {
        for (ModelSpec model : new ModelSpec[] {ModelSpec.logistic(3, true), ModelSpec.linear(3, true)}) {
            TrainerSettings written = new TrainerSettings(model, PolicySpec.parse("erma+va").weightSettings());
            written.ermaReference = model.type() == io.domainmix.core.model.ModelType.LINEAR
                    ? ErmaReference.PUBLISHED : ErmaReference.UNIFORM;
            TrainerState state = Trainer.newState(written);
            TrainerSettings now = new TrainerSettings(model, PolicySpec.parse("erma+va").weightSettings());
            Trainer restored = new Trainer(now, state);
            if (model.type() == io.domainmix.core.model.ModelType.LINEAR) {
                assertNotNull(restored.state().uniformReference, "auto on the linear model trains a reference");
            } else {
                assertNull(restored.state().uniformReference, "auto on the logistic model scores under θ̄");
            }
        }
    }
}
