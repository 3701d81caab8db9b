package io.domainmix.bench;

import io.domainmix.core.weights.DomainWeights;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightCalculator;
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
 * The weight recomputation that follows every statistics summary, without the trainer around it:
 * {@link WeightCalculator#compute} for a policy pair over K = 2 domains. See
 * {@link TrainerRecomputeWeightsBenchmark} for the trainer's whole recomputation with fgls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WeightCalculatorBenchmark {
    @Param({"uniform+proportional", "erma+va", "fgls+va"})
    public String policy;

    WeightSettings weights;
    String[] domains = {"d1", "d2"};
    double[] share = {0.5, 0.5};
    long[] count = {10_000, 10_000};
    double[] lossEma = {0.6, 10.4};
    double[] noiseVariance = {1.0, 20.0};
    double[] gradientSecondMoment = {20.0, 400.0};

    @Setup
    public void setUp() {
        String[] parts = policy.split("\\+");
        weights = new WeightSettings(LossWeightPolicy.parse(parts[0]), SamplingPolicy.parse(parts[1]),
                ImportanceMode.CORRECTED);
    }

    @Benchmark
    public DomainWeights compute() {
        return WeightCalculator.compute(weights, domains, share, count, lossEma, noiseVariance, gradientSecondMoment);
    }
}
