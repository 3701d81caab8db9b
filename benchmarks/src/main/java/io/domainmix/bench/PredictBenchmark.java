package io.domainmix.bench;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.serve.ModelSource;
import io.domainmix.core.serve.ServingModel;
import io.domainmix.core.train.ModelSnapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One prediction of a served snapshot ({@link ServingModel#predict}, what the client's
 * {@code Predictor} and the scoring job call per request): the time a service spends per
 * predict call once the model is in memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PredictBenchmark {
    @Param({"linear", "logistic", "mlp"})
    public String model;

    @Param({"20", "200"})
    public int dimension;

    ServingModel served;
    Example[] examples;
    int next;

    @Setup
    public void setUp() {
        ModelSnapshot s = new ModelSnapshot();
        s.runId = "bench";
        s.version = 1;
        s.modelType = model;
        s.dimension = dimension;
        s.intercept = true;
        s.labels = model.equals("logistic") ? "binary" : "real";
        s.hidden = SgdStepBenchmark.MLP_HIDDEN;
        s.activation = "tanh";
        Model m = (model.equals("mlp") ? ModelSpec.mlp(dimension, s.hidden, Activation.TANH, io.domainmix.core.data.LabelKind.REAL)
                : model.equals("logistic") ? ModelSpec.logistic(dimension, true) : ModelSpec.linear(dimension, true)).create();
        s.averagedTheta = m.initialParameters(1);
        for (int i = 0; i < s.averagedTheta.length; i++) {
            s.averagedTheta[i] += 0.01 * (i % 7);
        }
        served = ServingModel.of(s, ModelSource.AVERAGED);
        examples = BenchmarkData.pool("linear-noise", dimension);
    }

    @Benchmark
    public double predict() {
        Example e = examples[next++ & (examples.length - 1)];
        return served.predict(e.x);
    }
}
