package io.domainmix.cli;

import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
        StreamExecutionEnvironment env = LocalEnvironment.withWebUi(webUiPort, parallelism);
        DomainMixJob.buildKafka(env, options);
        System.out.println("domainmix train: run " + options.get(JobOptions.RUN_ID) + " on a local cluster; web UI at "
                + "http://127.0.0.1:" + webUiPort + "  (snapshots: " + options.get(JobOptions.SNAPSHOT_TOPIC)
                + ", metrics: " + options.get(JobOptions.METRICS_TOPIC) + ", dead letters: "
                + options.get(JobOptions.DEAD_LETTER_TOPIC) + ")");
        env.execute(options.jobName());
        System.out.println("domainmix train: finished");
        return 0;
    }
}
