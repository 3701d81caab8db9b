package io.domainmix.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * The job's command line for one test run: its own example topics ({@code <prefix>.<domain>}),
 * run id and output topics, so runs on the same broker never read each other's data.
 */
public record JobArguments(String bootstrapServers, String topicPrefix, String runId, List<String> extra) {

    public static JobArguments of(String bootstrapServers, String topicPrefix, String runId, String... extra) {
        return new JobArguments(bootstrapServers, topicPrefix, runId, List.of(extra));
    }

    public JobArguments with(String... more) {
        List<String> all = new ArrayList<>(extra);
        all.addAll(List.of(more));
        return new JobArguments(bootstrapServers, topicPrefix, runId, all);
    }

    public String snapshotTopic() {
        return runId + "-snapshots";
    }

    public String metricsTopic() {
        return runId + "-metrics";
    }

    public String deadLetterTopic() {
        return runId + "-dead-letters";
    }

    public List<String> toList() {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", bootstrapServers,
                "--topic-prefix", topicPrefix,
                "--run-id", runId,
                "--snapshot-topic", snapshotTopic(),
                "--metrics-topic", metricsTopic(),
                "--dead-letter-topic", deadLetterTopic()));
        args.addAll(extra);
        return args;
    }
}
