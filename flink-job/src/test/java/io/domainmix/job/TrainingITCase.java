package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * The job and the simulator share the trainer, so on the same seed's data, with the same seed
     * of the trainer, they differ only by the arrival order and batching the job's source and
     * exchanges make. That difference alone moves one run's error by about ±17 % (one standard
     * deviation; 38 runs at 200,000 examples gave 0.66–1.33 times the simulator's, mean 1.02), so
     * the 1.15 bound is on the errors of sixteen runs together (eight seeds' data, {@code erma+va}
     * and {@code fgls+va}), where that spread is about ±4 %, and each run on its own is held to
     * {@link JobRuns#SINGLE_RUN_TOLERANCE}. {@code -Dtraining.seeds=1,2,3} chooses the seeds.
     */
    @Test
    void linearNoiseWithErmaAndFglsLossWeightsMatchesTheSimulator() throws Exception {
        long total = 100_000; // about 50,000 per domain
        Experiment ex = Experiment.named("linear-noise", 20);
        double jobErrors = 0;
        double simulatorErrors = 0;
        List<String> runs = new java.util.ArrayList<>();
        for (String seedText : System.getProperty("training.seeds", "1,2,3,4,5,6,7,8").split(",")) {
            long seed = Long.parseLong(seedText.trim());
            String prefix = TestKafka.unique("noise");
            TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
            Map<String, Long> produced = JobRuns.produce(prefix, ex, seed, total);
            GroundTruth truth = ex.groundTruth(seed);

            for (String policy : List.of("erma+va", "fgls+va")) {
                String run = TestKafka.unique(policy.replace('+', '-'));
                String[] parts = policy.split("\\+");
                runBounded(JobRuns.options(prefix, run, "--loss-weights", parts[0], "--sampling", parts[1],
                        "--seed", String.valueOf(seed)));

                ModelSnapshot last = JobRuns.finalSnapshot(run);
                assertEquals(total, last.examplesSeen);
                double error = JobRuns.distance(last.averagedTheta, truth.theta);
                double reference = JobRuns.simulatorErrorOnTheSameData("linear-noise", policy, total, seed);
                double ratio = JobRuns.lossWeight(last, "d1") / JobRuns.lossWeight(last, "d2");
                System.out.printf("linear-noise %s seed %d: job error %.5f, simulator on the same data %.5f (x%.3f), "
                        + "lambda1/lambda2 %.2f%n", policy, seed, error, reference, error / reference, ratio);
                runs.add(String.format(java.util.Locale.ROOT, "%s seed %d x%.3f", policy, seed, error / reference));
                jobErrors += error;
                simulatorErrors += reference;
                assertTrue(error <= JobRuns.SINGLE_RUN_TOLERANCE * reference, policy + " seed " + seed
                        + ": job error " + error + " vs simulator on the same data " + reference);
                assertTrue(Math.abs(ratio - 20) <= 0.2 * 20, policy + ": lambda1/lambda2 = " + ratio);
                var metrics = JobRuns.finalMetrics(run);
                for (var d : produced.entrySet()) {
                    assertEquals(d.getValue().longValue(), metrics.path("domains").path(d.getKey()).path("n").asLong());
                }
            }
        }
        System.out.printf("linear-noise: job errors together x%.3f the simulator's on the same data%n",
                jobErrors / simulatorErrors);
        assertTrue(jobErrors <= 1.15 * simulatorErrors, "the job's errors together x" + jobErrors / simulatorErrors
                + " the simulator's on the same data: " + runs);
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

        assertSlotsAndNoiseFollowP(JobRuns.metricsRecords(run), total / 2);
    }

    /**
     * What the trainer did, read from its metrics records after {@code fromStep} (the weights have
     * settled by then), against what the weights it published imply:
     * <ul>
     *   <li>each domain's slots within 3 standard errors of Σ p_k over those slots (each slot draws
     *       domain k with probability p_k: a binomial count, with p read at both ends of each
     *       interval between two records);</li>
     *   <li>the measured gradient noise, the mean of ‖w∇ℓ‖² over those slots, within 10 % of
     *       N(p) = Σ (π_k λ_k)² M_k / p_k (ALGORITHMS.md §3) and at most 0.75 times N(π), the
     *       noise proportional sampling would give (theory on linear-scale: 0.60).</li>
     * </ul>
     * Sampling by π instead of p, or slot weights without the importance correction, breaks each.
     */
    private static void assertSlotsAndNoiseFollowP(List<JsonNode> records, long fromStep) {
        JsonNode start = records.stream().filter(r -> r.path("step").asLong() >= fromStep).findFirst().orElseThrow();
        List<JsonNode> interval = records.subList(records.indexOf(start), records.size());
        assertTrue(interval.size() >= 20, "metrics records after step " + fromStep + ": " + interval.size());
        List<String> domains = new java.util.ArrayList<>();
        start.path("domains").fieldNames().forEachRemaining(domains::add);
        int k = domains.size();
        double[] expected = new double[k];
        double[] variance = new double[k];
        double noise = 0;
        double predicted = 0;
        double proportional = 0;
        long slots = 0;
        for (int i = 1; i < interval.size(); i++) {
            JsonNode before = interval.get(i - 1).path("domains");
            JsonNode after = interval.get(i).path("domains");
            long n = 0;
            for (String d : domains) {
                n += after.path(d).path("slots").asLong() - before.path(d).path("slots").asLong();
            }
            if (n == 0) {
                continue; // no slots between the two records: nothing measured
            }
            for (int j = 0; j < k; j++) {
                String d = domains.get(j);
                double p = (before.path(d).path("samplingProbability").asDouble()
                        + after.path(d).path("samplingProbability").asDouble()) / 2;
                expected[j] += n * p;
                variance[j] += n * p * (1 - p);
            }
            JsonNode g = interval.get(i).path("gradientNoise");
            noise += n * g.path("measured").asDouble(); // the mean over this record's own slots
            predicted += n * g.path("predicted").asDouble();
            proportional += n * g.path("proportional").asDouble();
            slots += n;
        }
        StringBuilder seen = new StringBuilder();
        for (int j = 0; j < k; j++) {
            String d = domains.get(j);
            long drawn = interval.get(interval.size() - 1).path("domains").path(d).path("slots").asLong()
                    - start.path("domains").path(d).path("slots").asLong();
            double se = Math.sqrt(variance[j]);
            seen.append(String.format(java.util.Locale.ROOT, "%s: %d slots, Σp %.1f (%.2f SE); ", d, drawn, expected[j],
                    (drawn - expected[j]) / se));
            assertTrue(Math.abs(drawn - expected[j]) <= 3 * se, "slots against Σp over " + slots + " slots: " + seen);
        }
        noise /= slots;
        predicted /= slots;
        proportional /= slots;
        System.out.printf("%s measured noise %.2f, N(p) %.2f (x%.3f), N(π) %.2f (x%.3f)%n", seen, noise, predicted,
                noise / predicted, proportional, noise / proportional);
        assertEquals(predicted, noise, 0.10 * predicted, "measured gradient noise against N(p); " + seen);
        assertTrue(noise <= 0.75 * proportional, "measured gradient noise " + noise + " against N(π) " + proportional);
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

    /**
     * Issue 11: a backlog of uncentred labels (offset-noise, 4,000 a domain) replayed by a bounded
     * job. Every arrival is scored under a θ̄ at most S − 1 steps old, so the loss estimates forget
     * θ₀'s loss (≈ 27²/2 ≈ 365 here) and ERMA's λ find the noise levels as the offline FGLS fit of
     * the same rows does.
     */
    @Test
    void aReplayedBacklogIsScoredUnderAFreshModel() throws Exception {
        long total = 16_000;
        String prefix = TestKafka.unique("offset");
        Experiment ex = Experiment.named("offset-noise", 2);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2", prefix + ".d3", prefix + ".d4");
        Map<String, Long> produced = JobRuns.produce(prefix, ex, SEED, total);
        String run = TestKafka.unique("offset-erma-va");
        long s = 100;
        runBounded(JobRuns.options(prefix, run, "--dim", "2", "--intercept", "true", "--loss-weights", "erma",
                "--sampling", "va", "--max-staleness-steps", String.valueOf(s)));

        int records = 0;
        for (var r : TestKafka.readAll(run + "-metrics")) {
            var m = JobJson.tree(r.value());
            if (m.path("staleness").path("max").isNumber()) {
                records++;
                assertTrue(m.path("staleness").path("max").asLong() <= s - 1, m.path("staleness").toString());
            }
        }
        assertTrue(records >= 10, "metrics records: " + records);

        var metrics = JobRuns.finalMetrics(run);
        ModelSnapshot last = JobRuns.finalSnapshot(run);
        io.domainmix.core.sim.SimulationSettings settings = new io.domainmix.core.sim.SimulationSettings();
        settings.examples = total;
        var offline = io.domainmix.core.sim.Simulator.closedForm(ex, settings, SEED); // the same rows, in one shot
        double[] noise = {0.2, 1, 7, 8};
        double[] lambda = new double[4];
        StringBuilder seen = new StringBuilder();
        for (int k = 0; k < 4; k++) {
            String d = "d" + (k + 1);
            var m = metrics.path("domains").path(d);
            assertEquals(produced.get(d).longValue(), m.path("n").asLong(), "count of " + d);
            double loss = m.path("lossEma").asDouble();
            lambda[k] = JobRuns.lossWeight(last, d);
            seen.append(String.format(java.util.Locale.ROOT, "%s: L %.3f (σ²/2 = %.2f), λ %.3f; ", d, loss, noise[k] / 2, lambda[k]));
            // the prequential loss of a fitted model is σ²/2 plus a small excess; θ₀'s would be ≈ 365
            assertTrue(loss >= 0.7 * noise[k] / 2 && loss <= 1.5 * noise[k] / 2, seen.toString());
        }
        for (int k = 1; k < 4; k++) {
            assertTrue(lambda[k] < lambda[k - 1], "λ ranked by noise: " + seen);
        }
        double ratio = lambda[0] / lambda[3];
        double offlineRatio = offline.noiseVariance[3] / offline.noiseVariance[0];
        System.out.printf("offset-noise erma+va backlog: %s λ1/λ4 %.1f, offline FGLS %.1f%n", seen, ratio, offlineRatio);
        assertTrue(ratio <= 1.5 * offlineRatio && ratio >= offlineRatio / 1.5, "λ1/λ4 " + ratio + " vs offline " + offlineRatio);
    }
}
