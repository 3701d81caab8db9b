package io.domainmix.cli.demo;

import io.domainmix.cli.KafkaConnection;
import io.domainmix.cli.report.RecordReader;
import io.domainmix.cli.report.TopicContents;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import io.domainmix.job.TopicCreation;
import io.domainmix.producers.KafkaTarget;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.SerializedThrowable;
import org.apache.kafka.clients.admin.Admin;

/**
 * The policy grid trained on data that is already in Kafka: every policy as a bounded Flink job
 * with its own run id and output topics, {@code concurrentJobs} at a time, and the records read
 * back and saved as JSON lines. What the data is (a synthetic experiment, a user's file) and how
 * the model is set up is the subclass's.
 */
public abstract class GridRun {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

    final String prefix;
    private final List<PolicyRun> runs = new ArrayList<>();
    private final KafkaConnection kafka;
    private final Path outDir;
    private final long seed;
    private final int concurrentJobs;
    private final int jobParallelism;

    GridRun(String prefix, List<PolicySpec> policies, KafkaConnection kafka, Path outDir, long seed,
            int concurrentJobs, int jobParallelism) {
        this.prefix = prefix;
        this.kafka = kafka;
        this.outDir = outDir;
        this.seed = seed;
        this.concurrentJobs = concurrentJobs;
        this.jobParallelism = jobParallelism;
        for (PolicySpec p : policies) {
            runs.add(new PolicyRun(prefix, p));
        }
    }

    /** Where Kafka is and how to log in. */
    public KafkaConnection kafka() {
        return kafka;
    }

    public List<PolicyRun> runs() {
        return runs;
    }

    /** The domains, in the order the live table lists them. */
    public abstract List<String> domains();

    /** The topics the jobs read. */
    public abstract List<String> exampleTopics();

    /** What every run will see. */
    public abstract long totalExamples();

    /** The job options that set up the model: {@code --model}, {@code --dim}, ... */
    abstract List<String> modelArguments();

    /** A producer's view of the same Kafka. */
    KafkaTarget kafkaTarget() {
        return new KafkaTarget(kafka.bootstrapServers(), kafka.properties(), Optional.empty(), Optional.empty(), true);
    }

    /** Trains every policy, {@code concurrentJobs} at a time, and waits for all of them. */
    public void train(LocalFlinkCluster cluster) throws Exception {
        createOutputTopics();
        ExecutorService pool = Executors.newFixedThreadPool(concurrentJobs);
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
            env.setParallelism(jobParallelism);
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
                r.failed(result.getSerializedThrowable().map(GridRun::rootMessage).orElse("the job failed"));
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
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--topics", String.join(",", exampleTopics()),
                "--topic-prefix", prefix,
                "--run-id", r.runId(),
                "--snapshot-topic", r.snapshotTopic(),
                "--metrics-topic", r.metricsTopic(),
                "--dead-letter-topic", r.deadLetterTopic(),
                "--bounded"));
        args.addAll(modelArguments());
        args.addAll(List.of(
                "--loss-weights", p.loss().optionName(),
                "--sampling", p.sampling().optionName(),
                "--importance", p.mode().optionName(),
                "--seed", String.valueOf(seed),
                "--statistics-parallelism", String.valueOf(jobParallelism),
                // files, never the JobManager's memory, which holds 5 MB of state at most
                "--checkpoint-dir", outDir.resolve("checkpoints").toAbsolutePath().toString()));
        args.addAll(kafka.jobArguments());
        return args;
    }

    /** Creates the runs' output topics up front, so that the live table can follow them from the start. */
    private void createOutputTopics() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            List<String> topics = new ArrayList<>();
            for (PolicyRun r : runs) {
                topics.addAll(List.of(r.snapshotTopic(), r.metricsTopic(), r.deadLetterTopic()));
            }
            TopicCreation.createMissing(admin, topics);
            TopicCreation.awaitDescribed(admin, topics);
        }
    }

    /**
     * Reads every finished run's snapshot and metrics topics and saves them as JSON lines under
     * {@code records/}, so that {@code domainmix report} can redo the report offline.
     */
    RecordReader readRecords() throws IOException {
        Path records = outDir.resolve("records");
        Files.createDirectories(records);
        RecordReader reader = new RecordReader();
        for (PolicyRun r : runs) {
            if (r.state() != PolicyRun.State.DONE) {
                continue;
            }
            for (String topic : List.of(r.snapshotTopic(), r.metricsTopic())) {
                List<byte[]> values = TopicContents.values(kafka, topic, KAFKA_TIMEOUT);
                try (Writer w = Files.newBufferedWriter(records.resolve(topic + ".jsonl"), StandardCharsets.UTF_8)) {
                    for (byte[] v : values) {
                        w.write(new String(v, StandardCharsets.UTF_8));
                        w.write('\n');
                    }
                }
                reader.readValues(values);
            }
        }
        return reader;
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
