package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/** What the integration tests share: producing an experiment's data, job options, reading results, the simulator's reference. */
final class JobRuns {
    private static final Map<String, Double> REFERENCES = new ConcurrentHashMap<>();

    private JobRuns() {}

    /**
     * The first {@code total} arrivals of the experiment's seed, in the simulator's order (with
     * the change where the experiment has one, at its fraction of {@code total}).
     */
    static List<Example> stream(Experiment experiment, long seed, long total) {
        Experiment.Arrivals arrivals = experiment.arrivals(experiment.groundTruth(seed), seed, total);
        List<Example> out = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            out.add(arrivals.next());
        }
        return out;
    }

    /** Topics {@code <prefix>.<domain>} filled with {@code total} arrivals of the experiment's seed. */
    static Map<String, Long> produce(String prefix, Experiment experiment, long seed, long total) {
        GroundTruth truth = experiment.groundTruth(seed);
        Experiment.Arrivals arrivals = experiment.arrivals(truth, seed);
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (long i = 0; i < total; i++) {
                Example e = arrivals.next();
                TestKafka.send(producer, prefix + "." + e.domain, e.domain.getBytes(StandardCharsets.UTF_8),
                        ExampleJsonCodec.encode(e));
                counts.merge(e.domain, 1L, Long::sum);
            }
            producer.flush();
        }
        return counts;
    }

    /** Options of a bounded test run over {@code <prefix>.*}, with outputs named after the run. */
    static List<String> options(String prefix, String runId, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--topic-prefix", prefix,
                "--run-id", runId,
                "--snapshot-topic", runId + "-snapshots",
                "--metrics-topic", runId + "-metrics",
                "--dead-letter-topic", runId + "-dead-letters",
                "--bounded",
                "--checkpoint-interval-ms", "1000",
                "--statistics-parallelism", "2",
                // two decoders behind the one paced reader: the trainer gets the reader's order back
                // (ResequenceFunction), so every job test runs through the resequencing
                "--source-parallelism", "2"));
        args.addAll(List.of(more));
        return args;
    }

    /** The run's snapshots in version order. */
    static List<PublishedSnapshot> snapshots(String runId) {
        List<PublishedSnapshot> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.readAll(runId + "-snapshots")) {
            PublishedSnapshot p = JobJson.readSnapshot(r.value());
            if (p != null && runId.equals(p.snapshot.runId)) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingLong(p -> p.snapshot.version));
        return out;
    }

    /** The final snapshot of a bounded run (exactly one is expected). */
    static ModelSnapshot finalSnapshot(String runId) {
        List<PublishedSnapshot> last = snapshots(runId).stream().filter(p -> p.last).toList();
        assertEquals(1, last.size(), "final snapshots of " + runId);
        return last.get(0).snapshot;
    }

    /** The final metrics record of a bounded run. */
    static JsonNode finalMetrics(String runId) {
        List<JsonNode> last = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.readAll(runId + "-metrics")) {
            JsonNode n = JobJson.tree(r.value());
            if (n.path("final").asBoolean()) {
                last.add(n);
            }
        }
        assertEquals(1, last.size(), "final metrics records of " + runId);
        return last.get(0);
    }

    /**
     * The run's metrics records in step order, the first one of each step: the topic is
     * at-least-once, and a bounded run's final record may repeat the step of the record before it
     * (with no slots since, so no measured noise of its own).
     */
    static List<JsonNode> metricsRecords(String runId) {
        Map<Long, JsonNode> byStep = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.readAll(runId + "-metrics")) {
            JsonNode n = JobJson.tree(r.value());
            if (runId.equals(n.path("runId").asText())) {
                byStep.putIfAbsent(n.path("step").asLong(), n);
            }
        }
        return new ArrayList<>(byStep.values());
    }

    /**
     * Submits a job over {@code <prefix>.*} with {@link #options} and {@code more}, unbounded
     * (live) unless {@code bounded}, its output topics created first, and no restarts.
     */
    static JobClient submit(String prefix, String runId, boolean bounded, String... more) throws Exception {
        List<String> args = new ArrayList<>(options(prefix, runId, more));
        if (!bounded) {
            args.remove("--bounded");
        }
        JobOptions options = JobOptions.parse(args.toArray(new String[0]));
        ArrivalOrderITCase.createOutputTopics(options, runId);
        StreamExecutionEnvironment env = ArrivalOrderITCase.environment();
        DomainMixJob.buildKafka(env, options);
        return env.executeAsync(options.jobName());
    }

    /**
     * Waits until every task of a job submitted with {@code executeAsync} runs: its readers are
     * assigned their partitions before a live test produces its input.
     */
    static void awaitAllTasksRunning(MiniCluster cluster, JobClient job) throws Exception {
        CommonTestUtils.waitForAllTaskRunning(cluster, job.getJobID(), false);
    }

    /**
     * Waits until a snapshot of an unbounded run counts {@code total} examples (snapshots come at
     * exact step multiples, and a step per arrival), then stops the job with a drained savepoint:
     * the end of input reaches the trainer, which publishes its final snapshot and metrics as a
     * bounded run does. Cancels the job and fails when the examples do not all arrive in time.
     */
    static void stopDrainedAfter(String runId, JobClient job, long total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVE_TIMEOUT_S);
        long seen = 0;
        while (seen < total && System.nanoTime() < deadline) {
            for (PublishedSnapshot p : snapshots(runId)) {
                seen = Math.max(seen, p.snapshot.examplesSeen);
            }
            if (seen < total) {
                Thread.sleep(250);
            }
        }
        if (seen < total) {
            job.cancel().get(60, TimeUnit.SECONDS);
            throw new AssertionError(runId + ": " + seen + " of " + total + " examples within " + LIVE_TIMEOUT_S + " s");
        }
        String savepoints = Path.of("target", "savepoints").toAbsolutePath().toUri().toString();
        job.stopWithSavepoint(true, savepoints, SavepointFormatType.CANONICAL).get(LIVE_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /**
     * The most examples a snapshot of the run counted by wall-clock time {@code millis}: how much
     * of a live input the job had taken while it was being produced.
     */
    static long examplesTakenBy(String runId, long millis) {
        return snapshots(runId).stream().filter(p -> p.snapshot.timestamp <= millis)
                .mapToLong(p -> p.snapshot.examplesSeen).max().orElse(0);
    }

    /** Generous: a live test's input takes tens of seconds to produce, and a loaded machine may lag behind it. */
    static final long LIVE_TIMEOUT_S = 180;

    static double lossWeight(ModelSnapshot s, String domain) {
        return s.lossWeight[List.of(s.domains).indexOf(domain)];
    }

    static double samplingProbability(ModelSnapshot s, String domain) {
        return s.samplingProbability[List.of(s.domains).indexOf(domain)];
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    static double cosineDistance(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < b.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 1.0 : 1.0 - ab / Math.sqrt(aa * bb);
    }

    /**
     * The most one job run's error may exceed the simulator's on the same data. The two share the
     * trainer and differ by the order in which the job's source and exchanges deliver the
     * arrivals, which alone spreads one run's error by about ±17 % around the simulator's (38
     * runs of linear-noise at 200,000 examples: 0.66–1.33 times, mean 1.02). Since the trainer
     * takes its examples in the source's arrival order, a few runs also land far out: 2.3× in one
     * of sixteen `TrainingITCase` runs and 1.9–2.4× in three of seventeen `RecoveryITCase` runs,
     * with exact counts and weights (the cause is open in issue 11). So one run is held only to
     * 3×, which still catches a lost or untrained model; the discriminating check is the pooled
     * one: many runs together within 1.15×.
     */
    static final double SINGLE_RUN_TOLERANCE = 3.0;

    /**
     * The simulator's error of a policy on the data {@link #produce} writes for {@code seed}, with
     * the trainer seeded as the job's {@code --seed} (cached per JVM).
     */
    static double simulatorErrorOnTheSameData(String experiment, String policy, long examples, long seed) {
        String key = experiment + "/" + policy + "/" + examples + "/" + seed;
        return REFERENCES.computeIfAbsent(key, k -> {
            SimulationSettings s = new SimulationSettings();
            s.examples = examples;
            return Simulator.runOne(Experiment.named(experiment, 20), s, PolicySpec.parse(policy), seed).error;
        });
    }
}
