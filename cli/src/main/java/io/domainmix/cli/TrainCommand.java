package io.domainmix.cli;

import io.domainmix.cli.demo.CheckpointDirectory;
import io.domainmix.cli.demo.CheckpointWatch;
import io.domainmix.cli.demo.LocalFlinkCluster;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import io.domainmix.job.local.CheckpointSchedule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code domainmix train}: the training job on a local Flink cluster in this process, with the
 * web UI. Takes exactly the options of the cluster jar's main class ({@link JobOptions}), so a
 * command tried here runs unchanged under {@code flink run}.
 */
@Command(name = "train", mixinStandardHelpOptions = false, sortOptions = false,
        description = {
            "Run the training job on a local Flink cluster (web UI on 127.0.0.1), reading examples from Kafka.",
            "Same options as the cluster jar under `flink run`; --help lists them."
        })
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--web-ui-port", defaultValue = "8081", paramLabel = "PORT",
            description = "Port of the local cluster's web UI (0 picks a free one; default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(names = "--parallelism", defaultValue = "2", paramLabel = "N",
            description = "Default parallelism of the local cluster (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = {"-h", "--help"}, usageHelp = false, description = "Show the job's options and exit.")
    boolean help;

    /** Where a local run checkpoints unless --checkpoint-dir says otherwise: beside the user's work, not in memory. */
    static final Path DEFAULT_CHECKPOINT_DIR = Path.of("domainmix-work", "checkpoints");

    @Unmatched
    List<String> jobArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (help) {
            System.out.println("Usage: domainmix train [--web-ui-port PORT] [--parallelism N] [job options]\n");
            System.out.println(JobOptions.usage());
            return 0;
        }
        JobOptions options;
        try {
            options = JobOptions.parse(jobArguments.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("domainmix train: " + e.getMessage());
            System.err.println("(domainmix train --help lists the options)");
            return 2;
        }
        if (!options.isSet(JobOptions.CHECKPOINT_DIR)) {
            options = options.with(JobOptions.CHECKPOINT_DIR, DEFAULT_CHECKPOINT_DIR.toString());
        }
        String unwritable = unwritableLocalDirectory(options.get(JobOptions.CHECKPOINT_DIR));
        if (unwritable != null) {
            System.err.println("domainmix train: cannot write checkpoints to " + options.get(JobOptions.CHECKPOINT_DIR) + ": "
                    + unwritable + "; set --checkpoint-dir to a directory you can write");
            return 2;
        }
        LocalFlinkCluster started;
        try {
            started = LocalFlinkCluster.start(webUiPort, parallelism);
        } catch (IllegalStateException e) { // the web UI's port is taken
            System.err.println("domainmix train: " + e.getMessage());
            return 2;
        }
        String checkpointDir = options.get(JobOptions.CHECKPOINT_DIR);
        // a cluster that outlives the job, so that the finished job's checkpoint statistics can still be read
        try (LocalFlinkCluster cluster = started) {
            StreamExecutionEnvironment env = new StreamExecutionEnvironment();
            env.setParallelism(parallelism);
            DomainMixJob.buildKafka(env, options);
            CheckpointSchedule.handOver(env);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(options.jobName());
            System.out.println("domainmix train: run " + options.get(JobOptions.RUN_ID) + " on a local cluster; web UI at "
                    + cluster.webUi() + "  (snapshots: " + options.get(JobOptions.SNAPSHOT_TOPIC)
                    + ", metrics: " + options.get(JobOptions.METRICS_TOPIC) + ", dead letters: "
                    + options.get(JobOptions.DEAD_LETTER_TOPIC) + "; checkpoints: " + checkpointDir + ", every "
                    + options.get(JobOptions.CHECKPOINT_INTERVAL_MS) + " ms once every task runs)");
            LocalFlinkCluster.Submitted job = cluster.submit(graph);
            try (CheckpointWatch watch = new CheckpointWatch(cluster.webUi(), job.id().toString(), checkpointDir,
                    options.get(JobOptions.TOLERABLE_FAILED_CHECKPOINTS), System.out).start(Duration.ofSeconds(1));
                 CheckpointSchedule schedule = new CheckpointSchedule(cluster.webUi(), job.id().toString(),
                         Duration.ofMillis(options.get(JobOptions.CHECKPOINT_INTERVAL_MS))).start()) {
                try {
                    JobResult result = job.result().get();
                    result.toJobExecutionResult(Thread.currentThread().getContextClassLoader());
                    CheckpointDirectory.removeWhenEmpty(checkpointDir, job.id().toString(), Duration.ofSeconds(10));
                } finally {
                    watch.poll(); // the finished job's numbers, which the cluster still serves
                    System.out.println("domainmix train: checkpoints " + watch.summary());
                }
            }
        }
        System.out.println("domainmix train: finished");
        return 0;
    }

    /** Why a {@code file:} checkpoint directory cannot be used, or null when it can (or is not local). */
    static String unwritableLocalDirectory(String uri) {
        if (!uri.startsWith("file:")) {
            return null;
        }
        try {
            Path dir = Path.of(URI.create(uri));
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? null : "the directory is not writable";
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }
}
