package io.domainmix.bench;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Trainer#recomputeWeights} with fgls+va at d = 20 and K = 2: when the OLS fit, the K
 * degrees-of-freedom solves and the closed-form FGLS solve are due (every {@code fglsInterval}
 * arrivals), and between solves, when the last σ̂² are reused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrainerRecomputeWeightsBenchmark {
    static final int DIMENSION = 20;

    Trainer solving;
    Trainer reusing;

    @Setup
    public void setUp() {
        solving = fedTrainer(0);
        reusing = fedTrainer(Long.MAX_VALUE);
    }

    /** A fgls+va trainer that has seen both domains' examples and statistics summaries. */
    static Trainer fedTrainer(long fglsInterval) {
        ModelSpec spec = Experiment.named("linear-noise", DIMENSION).modelSpec();
        TrainerSettings settings = new TrainerSettings(spec,
                new WeightSettings(LossWeightPolicy.FGLS, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        settings.fglsInterval = 0;
        Trainer trainer = Trainer.create(settings);
        DomainStatistics[] stats = {
                DomainStatistics.create(DIMENSION, spec.intercept(), true),
                DomainStatistics.create(DIMENSION, spec.intercept(), true)};
        for (Example e : BenchmarkData.pool("linear-noise", DIMENSION)) {
            int k = e.domain.equals("d1") ? 0 : 1;
            stats[k].observe(e);
            trainer.onExample(e);
        }
        trainer.onDomainStats(stats[0].summary("d1"));
        trainer.onDomainStats(stats[1].summary("d2"));
        trainer.applyPendingWeights();
        // solve once with both domains' statistics in, then (for the between-solves case) never again;
        // one more arrival, as in a stream, so that the closed-form solve of the last refit is not redone
        settings.fglsInterval = fglsInterval;
        trainer.onExample(BenchmarkData.pool("linear-noise", DIMENSION, 1)[0]);
        return trainer;
    }

    @Benchmark
    public double[] withFglsSolve() {
        solving.recomputeWeights();
        return solving.lossWeights();
    }

    @Benchmark
    public double[] betweenSolves() {
        reusing.recomputeWeights();
        return reusing.lossWeights();
    }
}
