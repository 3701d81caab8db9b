package io.domainmix.job;

import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.serve.ModelSource;
import io.domainmix.job.score.StartupPolicy;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The scoring job's options ({@code domainmix score}, and the cluster jar's
 * {@code io.domainmix.job.score.ScoringJob} under {@code flink run}), declared once like
 * {@link JobOptions}; the Kafka connection options are the training job's own.
 */
public final class ScoringOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Option<List<String>> REQUESTS = Option.of("requests", "list", List.of("domainmix-requests"),
            "domainmix-requests", JobOptions::topicList,
            "Request topics, comma-separated: examples in the JSON or binary format, `y` optional.");
    public static final Option<String> PREDICTIONS_TOPIC = Option.of("predictions-topic", "topic",
            "domainmix-predictions", JobOptions::nonEmpty,
            "One record per request (JSON): id, prediction, runId, version, modelSource, label, and the request's "
                    + "topic, partition and offset; keyed by the id.");
    public static final Option<String> DEAD_LETTER_TOPIC = Option.of("dead-letter-topic", "topic",
            "domainmix-scoring-dead-letters", JobOptions::nonEmpty,
            "Requests that were not scored, with the reason (a decoding reason, `WRONG_DIMENSION` or `NO_MODEL`).");
    public static final Option<String> SNAPSHOT_TOPIC = Option.of("snapshot-topic", "topic", "domainmix-snapshots",
            JobOptions::nonEmpty, "The training run's snapshot topic, read from the beginning.");
    public static final Option<String> RUN_ID = Option.of("run-id", "string", "domainmix", JobOptions::runId,
            "The training run whose newest snapshot scores the requests.");
    public static final Option<ModelSource> MODEL_SOURCE = Option.of("model-source", "averaged|fgls",
            ModelSource.AVERAGED, "averaged", ModelSource::parse,
            "Serve the averaged parameters θ̄, or the closed-form FGLS estimate (runs with `--loss-weights fgls`).");
    public static final Option<StartupPolicy> STARTUP = Option.of("startup", "wait|reject", StartupPolicy.WAIT,
            "wait", StartupPolicy::parse,
            "Requests before the first snapshot: hold them and score them with it, or dead-letter them (`NO_MODEL`).");
    public static final Option<Integer> MAX_HELD_REQUESTS = Option.of("max-held-requests", "int", 100_000,
            v -> JobOptions.atLeast(JobOptions.parseInt(v), 0),
            "Most requests held per scoring task while waiting for the first snapshot; more are dead-lettered.");
    public static final Option<String> GROUP_ID = Option.of("group-id", "string", "", "`domainmix-score-<run-id>`",
            s -> s, "Consumer group of the request source (offsets committed on checkpoints, for monitoring).");
    public static final Option<Integer> PARALLELISM = Option.of("parallelism", "int", 0,
            v -> JobOptions.atLeast(JobOptions.parseInt(v), 0), "Parallelism of the request reading and scoring "
                    + "(0: the cluster's default).");
    public static final Option<Boolean> CREATE_TOPICS = Option.of("create-topics", "boolean", true, JobOptions::bool,
            "Create the predictions and dead-letter topics when missing (one partition each).");
    public static final Option<String> JOB_NAME = Option.of("job-name", "string", "", "`domainmix score <run-id>`",
            s -> s, "Name of the Flink job.");

    /** Every option, in documentation order. */
    public static final List<Option<?>> ALL = List.of(
            JobOptions.BOOTSTRAP_SERVERS, REQUESTS, PREDICTIONS_TOPIC, DEAD_LETTER_TOPIC, SNAPSHOT_TOPIC, RUN_ID,
            MODEL_SOURCE, STARTUP, MAX_HELD_REQUESTS, JobOptions.START_OFFSETS, GROUP_ID, JobOptions.KAFKA_PROPERTY,
            CREATE_TOPICS, JobOptions.MAX_RECORD_BYTES, JobOptions.CHECKPOINT_INTERVAL_MS, PARALLELISM,
            JOB_NAME);

    private final Map<String, Object> values;
    private final Map<String, List<String>> repeated;

    private ScoringOptions(OptionArgs args) {
        this.values = args.values();
        this.repeated = args.repeated();
    }

    /** @throws IllegalArgumentException naming the option and what it allows */
    public static ScoringOptions parse(String... args) {
        ScoringOptions o = new ScoringOptions(OptionArgs.parse(ALL, args));
        for (String out : List.of(o.get(PREDICTIONS_TOPIC), o.get(DEAD_LETTER_TOPIC), o.get(SNAPSHOT_TOPIC))) {
            if (o.get(REQUESTS).contains(out)) {
                throw new IllegalArgumentException("topic '" + out + "' is both a request topic and an output or "
                        + "snapshot topic; change --requests");
            }
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        return values.containsKey(option.name()) ? (T) values.get(option.name()) : option.defaultValue();
    }

    public List<String> all(Option<String> option) {
        return Collections.unmodifiableList(repeated.getOrDefault(option.name(), List.of()));
    }

    /** What requests must be: any dimension (checked against the served model), label optional. */
    public ExampleSchema requestSchema() {
        return new ExampleSchema(0, LabelKind.REAL, get(JobOptions.MAX_RECORD_BYTES), false);
    }

    public String groupId() {
        String g = get(GROUP_ID);
        return g.isEmpty() ? "domainmix-score-" + get(RUN_ID) : g;
    }

    public String jobName() {
        String n = get(JOB_NAME);
        return n.isEmpty() ? "domainmix score " + get(RUN_ID) : n;
    }

    /** The {@code --kafka-property} pairs. */
    public Properties kafkaProperties() {
        return OptionArgs.properties(all(JobOptions.KAFKA_PROPERTY));
    }

    public static String markdownTable() {
        return OptionArgs.markdownTable(ALL);
    }

    public static String usage() {
        return OptionArgs.usage(ALL);
    }
}
