package io.domainmix.cli.demo;

import io.domainmix.cli.KafkaConnection;
import io.domainmix.cli.report.RecordReader;
import io.domainmix.cli.report.Report;
import io.domainmix.cli.report.TopicContents;
import io.domainmix.cli.report.TruthDocument;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import io.domainmix.job.TopicCreation;
import io.domainmix.producers.DomainPlan;
import io.domainmix.producers.ExampleProducer;
import io.domainmix.producers.KafkaTarget;
import io.domainmix.producers.ProduceSummary;
import io.domainmix.producers.SyntheticPlan;
import io.domainmix.producers.SyntheticProducer;
import io.domainmix.producers.TopicLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.SerializedThrowable;
import org.apache.kafka.clients.admin.Admin;

/**
 * One experiment of the demo: its domains produced once into Kafka, the policy grid trained on
 * them as bounded Flink jobs (each run with its own run id and output topics), the records read
 * back and saved as JSON lines, and the report written.
 */
public final class ExperimentRun {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

    /** What the demo was asked to do for one experiment. */
    public record Settings(Experiment experiment, long examples, long seed, List<PolicySpec> policies,
                           KafkaConnection kafka, String topicTag, Path outDir, int concurrentJobs,
                           int jobParallelism) {}

    /** The runs, and the report written from them. */
    public record Outcome(List<PolicyRun> runs, Report.Result report, ProduceSummary produced) {}

    private final Settings s;
    private final String prefix;
    private final List<PolicyRun> runs = new ArrayList<>();

    public ExperimentRun(Settings settings) {
        this.s = settings;
        this.prefix = settings.topicTag() + "-" + settings.experiment().name();
        for (PolicySpec p : settings.policies()) {
            runs.add(new PolicyRun(prefix, p));
        }
    }

    public List<PolicyRun> runs() {
        return runs;
    }

    public List<String> domains() {
        return s.experiment().domains().stream().map(d -> d.name()).toList();
    }

    public Path truthFile() {
        return s.outDir().resolve("truth.json");
    }

    /** Writes the experiment's examples and its truth (file and topic) into Kafka. */
    public ProduceSummary produce() throws IOException {
        Experiment e = s.experiment();
        long perDomain = Math.max(1, s.examples() / e.domains().size());
        List<DomainPlan> plans = new ArrayList<>();
        for (var d : e.domains()) {
            plans.add(new DomainPlan(d, 0, perDomain, 0)); // rate 0: as fast as the broker takes them
        }
        SyntheticPlan plan = new SyntheticPlan(e.name(), e.modelType(), e.dimension(), s.seed(), plans);
        Files.createDirectories(s.outDir());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream quiet = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            SyntheticProducer producer = new SyntheticProducer(plan,
                    new KafkaTarget(s.kafka().bootstrapServers(), s.kafka().properties(), Optional.empty(), Optional.empty(), true),
                    TopicLayout.perDomain(prefix, prefix + "-truth"), truthFile(), ExampleProducer.Output.quiet(quiet));
            producer.run();
            ProduceSummary summary = producer.summary();
            if (summary == null || !summary.succeeded()) {
                throw new IllegalStateException("producing the examples failed: "
                        + (summary == null ? log.toString(StandardCharsets.UTF_8) : summary.error()));
            }
            return summary;
        }
    }

    /** The example topics of the experiment's domains. */
    public List<String> exampleTopics() {
        TopicLayout layout = TopicLayout.perDomain(prefix, prefix + "-truth");
        return domains().stream().map(layout::topicFor).toList();
    }

    /** Examples per domain times domains: what every run will see. */
    public long totalExamples() {
        int k = s.experiment().domains().size();
        return Math.max(1, s.examples() / k) * k;
    }

    /** Trains every policy, {@code concurrentJobs} at a time, and waits for all of them. */
    public void train(LocalFlinkCluster cluster) throws Exception {
        createOutputTopics();
        ExecutorService pool = Executors.newFixedThreadPool(s.concurrentJobs());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (PolicyRun r : runs) {
                futures.add(pool.submit(() -> {
                    trainOne(cluster, r);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void trainOne(LocalFlinkCluster cluster, PolicyRun r) {
        try {
            JobOptions options = JobOptions.parse(jobArguments(r).toArray(new String[0]));
            StreamExecutionEnvironment env = new StreamExecutionEnvironment();
            env.setParallelism(s.jobParallelism());
            DomainMixJob.buildKafka(env, options);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(options.jobName());
            r.started();
            LocalFlinkCluster.Submitted job = cluster.submit(graph);
            JobResult result = job.result().get();
            if (result.isSuccess()) {
                CheckpointDirectory.removeWhenEmpty(options.get(JobOptions.CHECKPOINT_DIR), job.id().toString(),
                        java.time.Duration.ofSeconds(10));
                r.finished();
            } else {
                r.failed(result.getSerializedThrowable().map(ExperimentRun::rootMessage).orElse("the job failed"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.failed("interrupted");
        } catch (Exception e) {
            r.failed(rootMessage(e));
        }
    }

    /** The job's arguments for one run: same data and seed for every run, only the policy differs. */
    List<String> jobArguments(PolicyRun r) {
        PolicySpec p = r.policy();
        Experiment e = s.experiment();
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", s.kafka().bootstrapServers(),
                "--topics", String.join(",", exampleTopics()),
                "--topic-prefix", prefix,
                "--run-id", r.runId(),
                "--snapshot-topic", r.snapshotTopic(),
                "--metrics-topic", r.metricsTopic(),
                "--dead-letter-topic", r.deadLetterTopic(),
                "--bounded",
                "--model", e.modelType().optionName(),
                "--dim", String.valueOf(e.dimension()),
                "--intercept", String.valueOf(e.intercept()),
                "--loss-weights", p.loss().optionName(),
                "--sampling", p.sampling().optionName(),
                "--importance", p.mode().optionName(),
                "--seed", String.valueOf(s.seed()),
                "--statistics-parallelism", String.valueOf(s.jobParallelism()),
                // files, never the JobManager's memory, whose 5 MB a few domains' buffers exceed
                "--checkpoint-dir", s.outDir().resolve("checkpoints").toAbsolutePath().toString()));
        args.addAll(s.kafka().jobArguments());
        return args;
    }

    /** Creates the runs' output topics up front, so that the live table can follow them from the start. */
    private void createOutputTopics() throws Exception {
        try (Admin admin = Admin.create(s.kafka().clientProperties())) {
            List<String> topics = new ArrayList<>();
            for (PolicyRun r : runs) {
                topics.addAll(List.of(r.snapshotTopic(), r.metricsTopic(), r.deadLetterTopic()));
            }
            TopicCreation.createMissing(admin, topics);
        }
    }

    /**
     * Reads every run's snapshot and metrics topics, saves them as JSON lines under
     * {@code records/} (so that {@code domainmix report} can redo the report offline), and writes
     * the report.
     */
    public Report.Result report() throws IOException {
        Path records = s.outDir().resolve("records");
        Files.createDirectories(records);
        RecordReader reader = new RecordReader();
        for (PolicyRun r : runs) {
            if (r.state() != PolicyRun.State.DONE) {
                continue;
            }
            for (String topic : List.of(r.snapshotTopic(), r.metricsTopic())) {
                List<byte[]> values = TopicContents.values(s.kafka(), topic, KAFKA_TIMEOUT);
                try (Writer w = Files.newBufferedWriter(records.resolve(topic + ".jsonl"), StandardCharsets.UTF_8)) {
                    for (byte[] v : values) {
                        w.write(new String(v, StandardCharsets.UTF_8));
                        w.write('\n');
                    }
                }
                reader.readValues(values);
            }
        }
        return Report.write(reader.runs(), TruthDocument.read(truthFile()), s.outDir(), s.experiment().name());
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof SerializedThrowable st) {
            return st.getOriginalErrorClassName() + ": " + st.getMessage();
        }
        if (t instanceof ExecutionException && t.getCause() != null) {
            return rootMessage(t.getCause());
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
