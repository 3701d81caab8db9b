package io.domainmix.cli;

import io.domainmix.job.JobOptions;
import io.domainmix.job.ScoringOptions;
import io.domainmix.job.score.ScoringJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code domainmix score}: the scoring job on a local Flink cluster in this process. Takes
 * exactly the options of the cluster jar's {@link ScoringJob} ({@link ScoringOptions}), so a
 * command tried here runs unchanged under {@code flink run -c io.domainmix.job.score.ScoringJob}.
 */
@Command(name = "score", mixinStandardHelpOptions = false, sortOptions = false,
        description = {
            "Score requests from Kafka with the newest snapshot of a training run, on a local Flink cluster.",
            "Same options as the cluster jar's scoring job under `flink run`; --help lists them."
        })
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--web-ui-port", defaultValue = "8082", paramLabel = "PORT",
            description = "Port of the local cluster's web UI (0 picks a free one; default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(names = "--local-parallelism", defaultValue = "2", paramLabel = "N",
            description = "Default parallelism of the local cluster (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = {"-h", "--help"}, usageHelp = false, description = "Show the job's options and exit.")
    boolean help;

    @Unmatched
    List<String> jobArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (help) {
            System.out.println("Usage: domainmix score [--web-ui-port PORT] [--local-parallelism N] [job options]\n");
            System.out.println(ScoringOptions.usage());
            return 0;
        }
        ScoringOptions options;
        try {
            options = ScoringOptions.parse(jobArguments.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("domainmix score: " + e.getMessage());
            System.err.println("(domainmix score --help lists the options)");
            return 2;
        }
        StreamExecutionEnvironment env = LocalEnvironment.withWebUi(webUiPort, parallelism);
        ScoringJob.buildKafka(env, options);
        System.out.println("domainmix score: run " + options.get(ScoringOptions.RUN_ID) + " ("
                + options.get(ScoringOptions.MODEL_SOURCE).optionName() + ") from " + options.get(ScoringOptions.SNAPSHOT_TOPIC)
                + "; requests " + String.join(",", options.get(ScoringOptions.REQUESTS)) + " -> predictions "
                + options.get(ScoringOptions.PREDICTIONS_TOPIC) + ", dead letters "
                + options.get(ScoringOptions.DEAD_LETTER_TOPIC) + " at " + options.get(JobOptions.BOOTSTRAP_SERVERS)
                + "; web UI at http://127.0.0.1:" + webUiPort);
        env.execute(options.jobName());
        return 0;
    }
}
