package io.domainmix.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.BinaryLoss;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.train.ModelSnapshot;
import org.junit.jupiter.api.Test;

class ServingModelTest {

    static ModelSnapshot linearSnapshot(String run, long version, double[] averaged, boolean intercept) {
        ModelSnapshot s = new ModelSnapshot();
        s.runId = run;
        s.version = version;
        s.modelType = "linear";
        s.labels = "real";
        s.dimension = intercept ? averaged.length - 1 : averaged.length;
        s.intercept = intercept;
        s.theta = averaged.clone();
        s.averagedTheta = averaged.clone();
        return s;
    }

    @Test
    void linearPredictionIsTheDotProductOfTheAveragedParameters() {
        ModelSnapshot s = linearSnapshot("r", 3, new double[] {0.5, -2.0, 1.25}, true);
        s.theta = new double[] {9, 9, 9};
        ServingModel m = ServingModel.of(s, ModelSource.AVERAGED);
        assertEquals(0.5 * 2 - 2.0 * 3 + 1.25, m.predict(new double[] {2, 3}), 0.0);
        assertEquals(3, m.version());
        assertEquals("r", m.runId());
    }

    @Test
    void logisticPredictionIsAProbability() {
        ModelSnapshot s = linearSnapshot("r", 1, new double[] {1.5, -0.5}, false);
        s.modelType = "logistic";
        s.labels = "binary";
        ServingModel m = ServingModel.of(s, ModelSource.AVERAGED);
        double f = 1.5 * 0.4 - 0.5 * 2.0;
        assertEquals(1.0 / (1.0 + Math.exp(-f)), m.predict(new double[] {0.4, 2.0}), 1e-15);
    }

    @Test
    void mlpPredictionEqualsTheModelsOwn() {
        for (LabelKind labels : LabelKind.values()) {
            Model reference = ModelSpec.mlp(3, 4, Activation.TANH, labels).create();
            double[] theta = reference.initialParameters(7);
            ModelSnapshot s = new ModelSnapshot();
            s.runId = "r";
            s.version = 2;
            s.modelType = "mlp";
            s.dimension = 3;
            s.hidden = 4;
            s.activation = "tanh";
            s.intercept = true;
            s.labels = labels.name().toLowerCase();
            s.averagedTheta = theta;
            ServingModel m = ServingModel.of(s, ModelSource.AVERAGED);
            SplitMix64 rng = new SplitMix64(11);
            for (int i = 0; i < 20; i++) {
                double[] x = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
                double f = reference.output(theta, x);
                double expected = labels == LabelKind.BINARY ? BinaryLoss.sigmoid(f) : f;
                assertEquals(expected, m.predict(x), 0.0);
            }
        }
    }

    @Test
    void fglsSourceServesTheClosedFormEstimate() {
        ModelSnapshot s = linearSnapshot("r", 5, new double[] {1, 1}, false);
        s.fglsTheta = new double[] {2, -1};
        assertEquals(2 * 3 - 1 * 4, ServingModel.of(s, ModelSource.FGLS).predict(new double[] {3, 4}), 0.0);
    }

    @Test
    void unservableSnapshotsAreRefusedWithTheReason() {
        ModelSnapshot noFgls = linearSnapshot("r", 5, new double[] {1, 1}, false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServingModel.of(noFgls, ModelSource.FGLS))
                .getMessage().contains("FGLS"));
        ModelSnapshot shortTheta = linearSnapshot("r", 6, new double[] {1, 1}, false);
        shortTheta.dimension = 3;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServingModel.of(shortTheta, ModelSource.AVERAGED))
                .getMessage().contains("needs 3"));
        ModelSnapshot nan = linearSnapshot("r", 7, new double[] {1, Double.NaN}, false);
        assertThrows(IllegalArgumentException.class, () -> ServingModel.of(nan, ModelSource.AVERAGED));
        ModelSnapshot unknown = linearSnapshot("r", 8, new double[] {1, 1}, false);
        unknown.modelType = "forest";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServingModel.of(unknown, ModelSource.AVERAGED))
                .getMessage().contains("allowed"));
        ServingModel ok = ServingModel.of(linearSnapshot("r", 9, new double[] {1, 1}, false), ModelSource.AVERAGED);
        assertThrows(IllegalArgumentException.class, () -> ok.predict(new double[] {1, 2, 3}));
    }

    @Test
    void snapshotRecordsRoundTripAndBadBytesAreRefused() {
        ModelSnapshot s = linearSnapshot("run-a", 12, new double[] {0.1, 0.2, 0.3}, true);
        s.domains = new String[] {"d1", "d2"};
        s.lossWeight = new double[] {1.9, Double.NaN};
        ModelSnapshot back = SnapshotRecord.read(SnapshotRecord.write(s, true));
        assertEquals("run-a", back.runId);
        assertEquals(12, back.version);
        assertEquals(0.3, back.averagedTheta[2], 0.0);
        assertTrue(Double.isNaN(back.lossWeight[1]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotRecord.read("{oops".getBytes()))
                .getMessage().startsWith("not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotRecord.read("{\"step\": 3}".getBytes()))
                .getMessage().startsWith("not a snapshot"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotRecord.read(new byte[0]));
    }
}
