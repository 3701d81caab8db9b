package io.domainmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark body once per parameter value, outside JMH: keeps the benchmarks
 * compiling and measuring what they claim to (a step is taken, a record is accepted, ...).
 * Speed is not asserted here; it is measured by the JMH command in BENCHMARKS.md.
 */
class BenchmarksSmokeTest {

    @ParameterizedTest
    @CsvSource({"linear,20", "linear,200", "logistic,20", "logistic,200", "mlp,20", "mlp,200"})
    void sgdStepTakesOneStepPerArrival(String model, int dimension) {
        SgdStepBenchmark b = new SgdStepBenchmark();
        b.model = model;
        b.dimension = dimension;
        b.setUp();
        long before = b.trainer.step();
        assertEquals(1, b.trainerOnExample());
        assertEquals(before + 1, b.trainer.step());
        assertTrue(Double.isFinite(b.lossAndGradient()));
    }

    @ParameterizedTest
    @CsvSource({"linear,20", "logistic,200", "mlp,20"})
    void predictReturnsTheServedModelsPrediction(String model, int dimension) {
        PredictBenchmark b = new PredictBenchmark();
        b.model = model;
        b.dimension = dimension;
        b.setUp();
        double[] x = b.examples[0].x;
        double p = b.predict();
        assertEquals(b.served.spec().create().predict(b.served.parameters(), x), p, 0.0);
        assertTrue(!model.equals("logistic") || (p > 0 && p < 1));
    }

    @ParameterizedTest
    @CsvSource({"20,false", "20,true", "200,false", "200,true"})
    void statisticsObserveCountsTheExample(int dimension, boolean fgls) {
        DomainStatisticsBenchmark b = new DomainStatisticsBenchmark();
        b.dimension = dimension;
        b.fgls = fgls;
        b.setUp();
        assertTrue(b.observe());
        assertEquals(1, b.statistics.count);
        assertEquals(fgls, b.statistics.fgls != null && b.statistics.fgls.n == 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200})
    void rankOneAndMicroBatchAgree(int dimension) {
        FglsStatisticsBenchmark one = new FglsStatisticsBenchmark();
        one.dimension = dimension;
        one.setUp();
        FglsStatisticsBenchmark batch = new FglsStatisticsBenchmark();
        batch.dimension = dimension;
        batch.setUp();
        assertEquals(FglsStatisticsBenchmark.BATCH, one.rankOne());
        assertEquals(FglsStatisticsBenchmark.BATCH, batch.microBatch());
        assertEquals(one.statistics.yy, batch.statistics.yy, 1e-9 * one.statistics.yy);
        for (int i = 0; i < dimension; i++) {
            for (int j = i; j < dimension; j++) {
                double a = one.statistics.gram[i * dimension + j];
                assertEquals(a, batch.statistics.gram[i * dimension + j], 1e-9 * (1 + Math.abs(a)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform+proportional", "erma+va", "fgls+va"})
    void weightCalculatorNormalizes(String policy) {
        WeightCalculatorBenchmark b = new WeightCalculatorBenchmark();
        b.policy = policy;
        b.setUp();
        double[] p = b.compute().samplingProbability;
        assertEquals(1.0, p[0] + p[1], 1e-12);
    }

    @Test
    void trainerRecomputationWeighsTheNoisyDomainDown() {
        TrainerRecomputeWeightsBenchmark b = new TrainerRecomputeWeightsBenchmark();
        b.setUp();
        double[] solved = b.withFglsSolve();
        double[] reused = b.betweenSolves();
        int d1 = java.util.Arrays.asList(b.solving.domains()).indexOf("d1");
        int d2 = 1 - d1;
        // linear-noise: σ² = (1, 20), so d1 must weigh about 20 times d2
        assertTrue(solved[d1] > 5 * solved[d2], () -> java.util.Arrays.toString(solved));
        assertTrue(reused[d1] > 5 * reused[d2], () -> java.util.Arrays.toString(reused));
        assertNotNull(b.solving.fglsTheta());
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200})
    void decodersReadBackWhatWasEncoded(int dimension) throws Exception {
        ExampleDecodeBenchmark b = new ExampleDecodeBenchmark();
        b.dimension = dimension;
        b.setUp();
        Example expected = b.examples[0];
        DecodeResult r = b.jsonCodecDecode();
        assertTrue(r.isAccepted(), r::describe);
        assertEquals(expected, r.example());
        b.next = 0;
        Example tree = b.jacksonTreeDecode();
        assertEquals(expected.domain, tree.domain);
        assertEquals(expected.y, tree.y);
        assertTrue(java.util.Arrays.equals(expected.x, tree.x));
        b.next = 0;
        DecodeResult fromBinary = b.binaryCodecDecode();
        assertTrue(fromBinary.isAccepted(), fromBinary::describe);
        assertEquals(expected, fromBinary.example());
        assertTrue(b.jsonCodecEncode().length > 0);
        assertEquals(3 + 1 + 3 + 8 * (dimension + 1) + (dimension > 127 ? 1 : 0), b.binaryCodecEncode().length);
    }
}
