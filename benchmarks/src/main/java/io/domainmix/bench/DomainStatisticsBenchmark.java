package io.domainmix.bench;

import io.domainmix.core.data.Example;
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
 * count, the overflow check, and with FGLS on the rank-1 update of the sufficient statistics.
 * (The prequential loss and ‖∇ℓ‖² are scored by the trainer since issue 11: in
 * {@link SgdStepBenchmark}.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DomainStatisticsBenchmark {
    @Param({"20", "200"})
    public int dimension;

    @Param({"false", "true"})
    public boolean fgls;

    DomainStatistics statistics;
    Example[] examples;
    int next;

    @Setup
    public void setUp() {
        ModelSpec spec = Experiment.named("linear-noise", dimension).modelSpec();
        statistics = DomainStatistics.create(dimension, spec.intercept(), fgls);
        examples = BenchmarkData.pool("linear-noise", dimension);
    }

    @Benchmark
    public boolean observe() {
        Example e = examples[next];
        next = next + 1 == examples.length ? 0 : next + 1;
        return statistics.observe(e);
    }
}
