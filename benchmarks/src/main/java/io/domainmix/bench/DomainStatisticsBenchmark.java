package io.domainmix.bench;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
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
 * The per-example work of the statistics operator ({@link DomainStatistics#observe}): the
 * prequential loss under the published model, ‖∇ℓ‖² at the iterate, ‖x‖², and with FGLS on
 * the rank-1 update of the sufficient statistics. Linear regression.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DomainStatisticsBenchmark {
    static final double BETA = 0.001;

    @Param({"20", "200"})
    public int dimension;

    @Param({"false", "true"})
    public boolean fgls;

    DomainStatistics statistics;
    Model model;
    double[] published;
    double[] iterate;
    double[] scratch;
    Example[] examples;
    int next;

    @Setup
    public void setUp() {
        ModelSpec spec = Experiment.named("linear-noise", dimension).modelSpec();
        model = spec.create();
        statistics = DomainStatistics.create(dimension, spec.intercept(), fgls);
        examples = BenchmarkData.pool("linear-noise", dimension);
        // a model somewhere off the optimum, as during training
        published = new double[model.parameterCount()];
        iterate = new double[model.parameterCount()];
        for (int i = 0; i < published.length; i++) {
            published[i] = 0.01 * i;
            iterate[i] = -0.01 * i;
        }
        scratch = new double[model.parameterCount()];
    }

    @Benchmark
    public boolean observe() {
        Example e = examples[next];
        next = next + 1 == examples.length ? 0 : next + 1;
        return statistics.observe(model, published, iterate, e, BETA, scratch);
    }
}
