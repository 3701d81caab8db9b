package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.health.HealthEvent;
import io.domainmix.core.sim.ChangeOracle;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.weights.WeightSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The drift claims of the simulator ({@code DriftAdaptationTest}, README "Drift experiments") in
 * the job: on the {@code drift} experiment (d = 20; d2's noise jumps from σ² = 1, as clean as d1,
 * to 20 half-way), 100,000 examples of seed 5 with erma+va,
 * <ul>
 *   <li>the first domain health event in the metrics topic is d2's {@code loss-up}, within 5,000
 *       of d2's examples after the change (the simulator's claim), and none comes before it;</li>
 *   <li>ERMA's λ₂/λ₁ comes within 20 % of the new oracle's (1/σ₂²)/(1/σ₁²) = 1/20 and stays there
 *       to the end (entering the band before the stream's last quarter, as the simulator's
 *       {@code AdaptationMeasure} defines it), within 6,612 of d2's examples: the event's
 *       5,000, then the 512 new values the restarted loss mean needs, one statistics interval
 *       ({@code --stats-every}, 1,000 of d2's examples) and one metrics record, see below;</li>
 * </ul>
 * on a bounded replay of the backlog and live (job first, produced at 5,000 examples/s, stopped
 * with a drained savepoint once it has taken every example).
 *
 * <p>Why the job gets one more interval: the trainer runs its health checks and recomputes λ only
 * when a statistics summary reaches it, and a domain's summary goes out every 1,000 of its
 * examples. The paced source reads d1 and d2 evenly, so their summaries come together, once per
 * 1,000 of d2's examples; in the simulator's random interleaving the two domains' summaries fall
 * apart, and a check comes about twice as often. After d2's first loss window completed after the
 * change (3,403 of its examples on this seed), the job's event came after up to one interval and
 * λ's second reading after up to another: measured λ lags 3,450–5,370 against the simulator's
 * 3,408 on the same data (16 runs, 8 replayed and 8 live), events 3,450–4,353; with the health
 * checks off, 7,976. A bound of the claim plus one interval (6,000) was not what this mechanism
 * guarantees: on the event the loss mean restarts and reads new values alone only after 512 of
 * them ({@code Trainer.CHANGE_RESTART_WINDOW}), and λ moves at the summary after that. A replay
 * in a full CI run had its event after 4,710 of d2's examples and λ in the band after 6,324
 * (event + 512 + one interval + one record); 9 more replays: λ 3,441–5,874.
 *
 * <p>The event's lag is exact (the event carries d2's arrival count); λ is read from the metrics
 * records, one every 100 steps (about 50 of d2's examples), so the λ lag is the first record back
 * inside the band: an upper bound within that grain. The simulator's lags on
 * the same data with the same trainer seed are printed beside the job's.
 *
 * <p>Seed 5 is the seed on which the λ check needs the restart of d2's loss mean on the loss-up
 * event: without it (health checks off) the simulator's λ lags 7,489 of d2's examples there. A
 * stream of 100,000 rather than the simulator test's 200,000 keeps the live run at 20 s; the
 * simulator meets its claims on it (seeds 1–5: λ after 3,408–4,166 of d2's examples, the event
 * with it). {@code -Ddrift.seed=N} runs another seed.
 */
class DriftAdaptationITCase {
    static final long SEED = Long.getLong("drift.seed", 5);
    static final long TOTAL = 100_000;
    /** The simulator's claim, for λ and for the event: within 5,000 of d2's examples after the change. */
    static final long CLAIMED_EXAMPLES = 5_000;
    /** The job's {@code --stats-every} (its default): health checks and λ wait for a summary. */
    static final long STATS_EVERY = 1_000;
    static final long METRICS_EVERY = 100;
    /**
     * The event's claim, the new values d2's restarted loss mean needs before it reads them alone,
     * one statistics interval and one metrics record
     * (every 100 steps, about 50 of d2's examples; counted as 100); see the class comment.
     */
    static final long LOSS_WEIGHT_WITHIN = CLAIMED_EXAMPLES + Trainer.CHANGE_RESTART_WINDOW + STATS_EVERY + METRICS_EVERY;
    static final double PRODUCED_PER_SECOND = 5_000;
    static final String POLICY = "erma+va";
    static final Experiment EXPERIMENT = Experiment.named("drift", Experiment.DEFAULT_DIMENSION);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void ermaFollowsTheNoiseJumpInABacklogReplay() throws Exception {
        List<Example> stream = JobRuns.stream(EXPERIMENT, SEED, TOTAL);
        String prefix = TestKafka.unique("drift-backlog");
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        ArrivalOrderITCase.send(prefix, stream, 0);
        String run = TestKafka.unique("drift-backlog");
        start(prefix, run, true).getJobExecutionResult().get(JobRuns.LIVE_TIMEOUT_S, TimeUnit.SECONDS);
        check("backlog replay", run, stream);
    }

    @Test
    void ermaFollowsTheNoiseJumpLive(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Example> stream = JobRuns.stream(EXPERIMENT, SEED, TOTAL);
        String prefix = TestKafka.unique("drift-live");
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        String run = TestKafka.unique("drift-live");
        JobClient job = start(prefix, run, false);
        JobRuns.awaitAllTasksRunning(cluster, job);
        ArrivalOrderITCase.send(prefix, stream, PRODUCED_PER_SECOND);
        long produced = System.currentTimeMillis();
        JobRuns.stopDrainedAfter(run, job, TOTAL);
        System.out.printf("drift live: %d examples taken by the end of production%n", JobRuns.examplesTakenBy(run, produced));
        check("live at " + (long) PRODUCED_PER_SECOND + " examples/s", run, stream);
    }

    static JobClient start(String prefix, String run, boolean bounded) throws Exception {
        String[] parts = POLICY.split("\\+");
        return JobRuns.submit(prefix, run, bounded, "--loss-weights", parts[0], "--sampling", parts[1],
                "--seed", String.valueOf(SEED), "--metrics-every", String.valueOf(METRICS_EVERY),
                "--stats-every", String.valueOf(STATS_EVERY));
    }

    /** Reads the run's metrics topic and asserts the two claims; prints the job's lags beside the simulator's. */
    static void check(String what, String run, List<Example> stream) {
        long changeAt = (long) Math.ceil(EXPERIMENT.changeAt() * TOTAL);
        long d2Before = stream.subList(0, (int) changeAt).stream().filter(e -> e.domain.equals("d2")).count();
        ChangeOracle oracle = ChangeOracle.afterChange(EXPERIMENT, WeightSettings.DEFAULT_EPSILON);
        double target = oracle.lossWeight(1) / oracle.lossWeight(0);

        // λ₂/λ₁ at each record after the change: the last one outside the band, and the first back inside after it
        long lastOutside = -1;
        long lastOutsideAt = -1;
        long lag = 0;
        int after = 0;
        boolean outside = false;
        List<JsonNode> records = JobRuns.metricsRecords(run);
        for (JsonNode m : records) {
            JsonNode d1 = m.path("domains").path("d1");
            JsonNode d2 = m.path("domains").path("d2");
            long n2 = d2.path("arrivals").asLong() - d2Before;
            if (n2 <= 0) {
                continue;
            }
            after++;
            double ratio = d2.path("lossWeight").asDouble() / d1.path("lossWeight").asDouble();
            if (!(Math.abs(ratio / target - 1) <= Simulator.LOSS_WEIGHT_TOLERANCE)) {
                outside = true;
                lastOutside = n2;
                lastOutsideAt = m.path("examplesSeen").asLong();
            } else if (outside) {
                outside = false;
                lag = n2;
            }
        }
        JsonNode last = records.get(records.size() - 1);
        double finalRatio = last.path("domains").path("d2").path("lossWeight").asDouble()
                / last.path("domains").path("d1").path("lossWeight").asDouble();

        List<HealthEvent> events = healthEvents(run);
        HealthEvent first = events.isEmpty() ? null : events.get(0);
        long eventLag = first == null ? -1 : first.domainArrivals - d2Before;

        SimulationSettings s = new SimulationSettings();
        s.examples = TOTAL;
        s.heldOutPerDomain = 0;
        Simulator.Adaptation sim = Simulator.runOne(EXPERIMENT, s, PolicySpec.parse(POLICY), SEED).adaptation;
        String seen = String.format(Locale.ROOT, "drift %s, %s, seed %d, %,d examples (%,d of d2 before the change "
                        + "at %,d): λ₂/λ₁ within %.0f %% of %.3f after ≤ %,d of d2's examples (last outside after %,d, at "
                        + "example %,d; %d records after the change; final λ₂/λ₁ %.4f); first health event %s after %,d of "
                        + "d2's examples; simulator on the same data: λ after %,d, %s after %,d. Events: %s",
                what, POLICY, SEED, TOTAL, d2Before, changeAt, 100 * Simulator.LOSS_WEIGHT_TOLERANCE, target, lag,
                lastOutside, lastOutsideAt, after, finalRatio, first == null ? "none" : first.domain + " " + first.kind,
                eventLag, sim.lossWeightExamples, sim.healthEvent, sim.healthEventExamples,
                events.stream().map(e -> e.domain + " " + e.kind + " at step " + e.step).toList());
        System.out.println(seen);

        assertTrue(after >= 100, "metrics records after the change: " + seen);
        assertTrue(first != null && first.domain.equals("d2") && first.kind.equals(HealthEvent.LOSS_UP),
                "the first health event is d2's loss-up: " + seen);
        assertTrue(eventLag > 0 && eventLag <= CLAIMED_EXAMPLES, "d2's loss-up after the change, within "
                + CLAIMED_EXAMPLES + " of its examples: " + seen);
        assertTrue(!outside && lastOutsideAt < TOTAL - TOTAL / 4, "λ₂/λ₁ back in the band before the last quarter "
                + "and staying there: " + seen);
        assertTrue(lag <= LOSS_WEIGHT_WITHIN, "λ₂/λ₁ in the band within " + LOSS_WEIGHT_WITHIN + " of d2's examples: " + seen);
    }

    /** Every health event the run published, in step order (the metrics topic is at-least-once: repeats dropped). */
    static List<HealthEvent> healthEvents(String run) {
        List<HealthEvent> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.readAll(run + "-metrics")) {
            for (JsonNode e : JobJson.tree(r.value()).path("healthEvents")) {
                HealthEvent h = new HealthEvent();
                h.domain = e.path("domain").asText();
                h.kind = e.path("kind").asText();
                h.step = e.path("step").asLong();
                h.domainArrivals = e.path("domainArrivals").asLong();
                if (seen.add(h.domain + " " + h.kind + " " + h.step)) {
                    out.add(h);
                }
            }
        }
        out.sort(Comparator.comparingLong(h -> h.step));
        return out;
    }
}
