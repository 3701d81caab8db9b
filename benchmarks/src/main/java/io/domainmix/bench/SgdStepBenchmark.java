package io.domainmix.bench;

import io.domainmix.core.data.Example;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
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
 * One arrival at the trainer with r = 1, B = 1 ({@link Trainer#onExample}: count, buffer, one
 * importance-corrected SGD step drawn from the buffers), next to the bare model gradient it
 * is built on. The difference between the two is the trainer's bookkeeping per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SgdStepBenchmark {
    static final int MLP_HIDDEN = 64;

    @Param({"linear", "logistic", "mlp"})
    public String model;

    @Param({"20", "200"})
    public int dimension;

    Trainer trainer;
    Model bare;
    double[] theta;
    double[] gradient;
    Example[] examples;
    int next;

    @Setup
    public void setUp() {
        ModelSpec spec;
        switch (model) {
            case "linear": spec = ModelSpec.linear(dimension, false); break;
            case "logistic": spec = ModelSpec.logistic(dimension, false); break;
            case "mlp": spec = ModelSpec.mlp(dimension, MLP_HIDDEN, Activation.TANH, LabelKind.REAL); break;
            default: throw new IllegalArgumentException(model);
        }
        examples = BenchmarkData.pool(model.equals("logistic") ? "logistic-scale" : "linear-noise", dimension);
        TrainerSettings settings = new TrainerSettings(spec,
                new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.PROPORTIONAL, ImportanceMode.CORRECTED));
        settings.batchSize = 1;
        settings.stepsPerArrival = 1.0;
        trainer = Trainer.create(settings);
        // fill the buffers and leave the warm-up transient behind before measuring
        for (Example e : examples) {
            trainer.onExample(e);
        }
        bare = spec.create();
        theta = trainer.theta().clone();
        gradient = new double[bare.parameterCount()];
    }

    private Example nextExample() {
        Example e = examples[next];
        next = next + 1 == examples.length ? 0 : next + 1;
        return e;
    }

    /** One arrival, one SGD step (r = 1, B = 1). */
    @Benchmark
    public int trainerOnExample() {
        return trainer.onExample(nextExample());
    }

    /** The model's loss and gradient alone: the floor under {@link #trainerOnExample}. */
    @Benchmark
    public double lossAndGradient() {
        Example e = nextExample();
        return bare.lossAndGradient(theta, e.x, e.y, gradient);
    }
}
