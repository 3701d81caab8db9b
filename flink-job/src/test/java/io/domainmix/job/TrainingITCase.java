package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.ModelSnapshot;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job on a MiniCluster against a real broker reaches the reference simulator's quality. */
class TrainingITCase {
    static final long SEED = 1;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static void runBounded(List<String> args) throws Exception {
        JobOptions options = JobOptions.parse(args.toArray(new String[0]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DomainMixJob.buildKafka(env, options);
        env.execute(options.jobName());
    }

    @Test
    void linearNoiseWithErmaAndFglsLossWeightsMatchesTheSimulator() throws Exception {
        long total = 200_000; // about 100,000 per domain
        String prefix = TestKafka.unique("noise");
        Experiment ex = Experiment.named("linear-noise", 20);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        Map<String, Long> produced = JobRuns.produce(prefix, ex, SEED, total);
        GroundTruth truth = ex.groundTruth(SEED);

        for (String policy : List.of("erma+va", "fgls+va")) {
            String run = TestKafka.unique(policy.replace('+', '-'));
            String[] parts = policy.split("\\+");
            runBounded(JobRuns.options(prefix, run, "--loss-weights", parts[0], "--sampling", parts[1]));

            ModelSnapshot last = JobRuns.finalSnapshot(run);
            assertEquals(total, last.examplesSeen);
            double error = JobRuns.distance(last.averagedTheta, truth.theta);
            double reference = JobRuns.simulatorError("linear-noise", policy, total, 4);
            double ratio = JobRuns.lossWeight(last, "d1") / JobRuns.lossWeight(last, "d2");
            System.out.printf("linear-noise %s: job error %.5f, simulator mean error %.5f (x%.3f), lambda1/lambda2 %.2f%n",
                    policy, error, reference, error / reference, ratio);
            assertTrue(error <= 1.3 * reference, policy + ": job error " + error + " vs simulator " + reference);
            assertTrue(Math.abs(ratio - 20) <= 0.2 * 20, policy + ": lambda1/lambda2 = " + ratio);
            var metrics = JobRuns.finalMetrics(run);
            for (var d : produced.entrySet()) {
                assertEquals(d.getValue().longValue(), metrics.path("domains").path(d.getKey()).path("n").asLong());
            }
        }
    }

    @Test
    void linearScaleSamplesAsVarianceAwareSamplingPredicts() throws Exception {
        long total = 100_000;
        String prefix = TestKafka.unique("scale");
        Experiment ex = Experiment.named("linear-scale", 20);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        JobRuns.produce(prefix, ex, SEED, total);
        String run = TestKafka.unique("uniform-va");
        runBounded(JobRuns.options(prefix, run, "--loss-weights", "uniform", "--sampling", "va"));

        // ALGORITHMS.md §3: at the optimum M_k = σ_k² C_k d, so with λ = 1 p_VA ∝ π_k √(C_k) = (10 π_1, π_2),
        // mixed with π by ε = 0.05; π is the recent arrival share the job saw (0.5 each, up to the arrival order)
        ModelSnapshot last = JobRuns.finalSnapshot(run);
        double pi1 = last.share[List.of(last.domains).indexOf("d1")];
        double pure = 10 * pi1 / (10 * pi1 + (1 - pi1));
        double predicted = 0.95 * pure + 0.05 * pi1;
        double p1 = JobRuns.samplingProbability(last, "d1");
        System.out.printf("linear-scale uniform+va: p1 %.4f, predicted %.4f (pi1 %.3f; %.4f at pi1 = 0.5)%n", p1,
                predicted, pi1, 0.95 * 10 / 11 + 0.025);
        assertEquals(0.5, pi1, 0.1);
        assertEquals(predicted, p1, 0.05);
    }

    @Test
    void logisticRunHalvesItsCosineDistance() throws Exception {
        long total = 60_000;
        String prefix = TestKafka.unique("logistic");
        Experiment ex = Experiment.named("logistic-mixed", 20);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        JobRuns.produce(prefix, ex, SEED, total);
        String run = TestKafka.unique("logistic-erma-va");
        runBounded(JobRuns.options(prefix, run, "--model", "logistic", "--loss-weights", "erma", "--sampling", "va"));

        GroundTruth truth = ex.groundTruth(SEED);
        List<PublishedSnapshot> snaps = JobRuns.snapshots(run);
        assertTrue(snaps.size() >= 10, "snapshots: " + snaps.size());
        double first = JobRuns.cosineDistance(snaps.get(0).snapshot.averagedTheta, truth.theta);
        double last = JobRuns.cosineDistance(snaps.get(snaps.size() - 1).snapshot.averagedTheta, truth.theta);
        System.out.printf("logistic-mixed erma+va: cosine distance first snapshot %.4f, last %.4f%n", first, last);
        assertTrue(last <= 0.5 * first, "cosine distance " + first + " -> " + last);
    }
}
