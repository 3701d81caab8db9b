package io.domainmix.bench;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsStatistics;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The FGLS sufficient statistics, per example: B rank-1 updates ({@link FglsStatistics#add})
 * against one rank-B update ({@link FglsStatistics#addBatch}, EJML's Zᵀ Z) of the same B
 * examples. Both include getting the examples' features into place, as an operator must.
 * Scores are examples per second (B operations per invocation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FglsStatisticsBenchmark {
    static final int BATCH = 64;

    @Param({"20", "200"})
    public int dimension;

    FglsStatistics statistics;
    Example[] examples;
    double[] rows;
    double[] labels;
    double[] weights;
    int next;

    @Setup
    public void setUp() {
        examples = BenchmarkData.pool("linear-noise", dimension);
        statistics = new FglsStatistics(dimension, false);
        rows = new double[BATCH * dimension];
        labels = new double[BATCH];
        weights = new double[BATCH];
        Arrays.fill(weights, 1.0);
    }

    private int nextBatchStart() {
        int start = next;
        next = next + BATCH >= examples.length ? 0 : next + BATCH;
        return start;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rankOne() {
        int start = nextBatchStart();
        for (int r = 0; r < BATCH; r++) {
            Example e = examples[start + r];
            statistics.add(e.x, e.y, e.weight);
        }
        return statistics.n;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long microBatch() {
        int start = nextBatchStart();
        for (int r = 0; r < BATCH; r++) {
            Example e = examples[start + r];
            System.arraycopy(e.x, 0, rows, r * dimension, dimension);
            labels[r] = e.y;
            weights[r] = e.weight;
        }
        statistics.addBatch(rows, labels, weights, BATCH);
        return statistics.n;
    }
}
