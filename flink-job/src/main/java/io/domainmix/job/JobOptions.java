package io.domainmix.job;

import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.PolicyRegistry;
import io.domainmix.core.weights.RuleParameter;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightRule;
import io.domainmix.core.weights.WeightSettings;
import io.domainmix.job.arrival.ArrivalOrder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's options, each declared once (name, type, default, validating parser, description),
 * parsed from {@code --name value} (or {@code --name=value}) arguments. The same options serve the
 * cluster jar's main class under {@code flink run} and {@code domainmix train}.
 *
 * <p>{@link #markdownTable()} renders the declarations as the options table of the documentation;
 * a test keeps {@code flink-job/OPTIONS.md} equal to it.
 */
public final class JobOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    // ------------------------------------------------------------------ Kafka
    public static final Option<String> BOOTSTRAP_SERVERS = Option.of("bootstrap-servers", "host:port,...",
            "localhost:9092", JobOptions::nonEmpty, "Kafka brokers to connect to.");
    public static final Option<List<String>> TOPICS = Option.of("topics", "list", List.of(), "(pattern)",
            JobOptions::topicList,
            "Example topics, comma-separated. When empty the job subscribes to `--topic-pattern`.");
    public static final Option<String> TOPIC_PATTERN = Option.of("topic-pattern", "regex", "",
            "`<topic-prefix>\\..+`", JobOptions::regex,
            "Regular expression of example topics; topics created later that match are picked up "
                    + "(see `--partition-discovery-ms`).");
    public static final Option<String> TOPIC_PREFIX = Option.of("topic-prefix", "string", "domainmix",
            JobOptions::nonEmpty,
            "Per-domain topics are named `<prefix>.<domain>`; the domain of a record without a `domain` field "
                    + "or key is its topic name without this prefix.");
    public static final Option<StartOffsets> START_OFFSETS = Option.of("start-offsets", "earliest|latest|committed",
            StartOffsets.EARLIEST, "earliest", StartOffsets::parse,
            "Where a fresh job starts reading (a restored job continues from its checkpoint). "
                    + "`committed` falls back to earliest for partitions without a committed offset.");
    public static final Option<Boolean> BOUNDED = Option.of("bounded", "boolean", false, JobOptions::bool,
            "Stop at the offsets that are latest when the job starts; the job then publishes a final snapshot and "
                    + "finishes by itself (batch replays, tests).");
    public static final Option<String> KAFKA_PROPERTY = Option.repeated("kafka-property", "key=value",
            JobOptions::keyValue,
            "A Kafka client property for every consumer, producer and admin client of the job, e.g. "
                    + "`security.protocol=SASL_SSL`. Repeat for several.");
    public static final Option<String> GROUP_ID = Option.of("group-id", "string", "", "`domainmix-<run-id>`",
            s -> s, "Consumer group of the example source (offsets are committed on checkpoints, for monitoring "
                    + "and `--start-offsets committed`).");
    public static final Option<Long> PARTITION_DISCOVERY_MS = Option.of("partition-discovery-ms", "ms", 10_000L,
            v -> atLeast(parseLong(v), 0), "How often new topics and partitions are discovered (unbounded mode); "
                    + "0 disables discovery.");
    public static final Option<ArrivalOrder> ARRIVAL_ORDER = Option.of("arrival-order", "event-time|progress|off",
            ArrivalOrder.PROGRESS, ArrivalOrder::parse,
            "The clock by which each reader merges its partitions so that a backlog arrives mixed: `progress` by each "
                    + "partition's progress through its backlog at start, then by record timestamps (any backlog, and live "
                    + "input), `event-time` by record timestamps only (a backlog arrives in the order it was produced), "
                    + "`off` as fetched. See \"Arrival order on replay\".");
    public static final Option<Integer> ARRIVAL_READERS = Option.of("arrival-readers", "int", 1,
            v -> atLeast(parseInt(v), 1), "Kafka readers of a paced example source. One reader merges every partition "
                    + "and hands the records on in numbered chunks to `--source-parallelism` decoders, whose examples are "
                    + "put back in the reader's order before the trainer. Several readers each merge their own partitions "
                    + "and keep pace with each other by split alignment within `--arrival-drift-ms` (for a source one "
                    + "reader cannot keep up with).");
    public static final Option<Long> ARRIVAL_DRIFT_MS = Option.of("arrival-drift-ms", "ms", 100L,
            v -> atLeast(parseLong(v), 1), "With several readers: how far on the clock a partition may run ahead of the "
                    + "slowest active one. `progress` spreads each partition's backlog over 400 drifts, so there it may run "
                    + "1/400 of its backlog ahead.");
    public static final Option<Long> ARRIVAL_IDLE_MS = Option.of("arrival-idle-ms", "ms", 5000L,
            v -> atLeast(parseLong(v), 1), "A partition that lags the broker but delivers no records for this long "
                    + "stops holding the others back (unbounded jobs; a caught-up, empty or finished partition holds "
                    + "nothing back).");
    public static final Option<Long> ARRIVAL_UPDATE_MS = Option.of("arrival-update-ms", "ms", 10L,
            v -> atLeast(parseLong(v), 1), "With several readers: how often their positions are combined and the limit "
                    + "moved on. In `event-time` a backlog is then read at most drift / update interval times as fast as "
                    + "it was produced.");
    public static final Option<Boolean> CREATE_TOPICS = Option.of("create-topics", "boolean", true,
            JobOptions::bool, "Create the snapshot, metrics and dead-letter topics when missing "
                    + "(one partition each).");
    public static final Option<String> SNAPSHOT_TOPIC = Option.of("snapshot-topic", "topic", "domainmix-snapshots",
            JobOptions::nonEmpty, "Versioned model snapshots (JSON); read back by the job itself.");
    public static final Option<String> METRICS_TOPIC = Option.of("metrics-topic", "topic", "domainmix-metrics",
            JobOptions::nonEmpty, "Per-interval training metrics (JSON).");
    public static final Option<String> DEAD_LETTER_TOPIC = Option.of("dead-letter-topic", "topic",
            "domainmix-dead-letters", JobOptions::nonEmpty, "Rejected records with reason, source topic, partition "
                    + "and offset (JSON).");
    public static final Option<Integer> MAX_RECORD_BYTES = Option.of("max-record-bytes", "bytes",
            ExampleSchema.DEFAULT_MAX_RECORD_BYTES, v -> atLeast(parseInt(v), 1),
            "Larger records are rejected to the dead-letter topic.");

    // ------------------------------------------------------------------ model
    public static final Option<ModelType> MODEL = Option.of("model", "linear|logistic|mlp", ModelType.LINEAR,
            "linear", ModelType::parse, "Model family: linear (squared loss), logistic (labels 0/1), mlp.");
    public static final Option<Integer> DIM = Option.of("dim", "int", 20, v -> atLeast(parseInt(v), 1),
            "Feature dimension d; records with another dimension are rejected.");
    public static final Option<Integer> HIDDEN = Option.of("hidden", "int", 16, v -> atLeast(parseInt(v), 1),
            "Hidden width of the mlp model.");
    public static final Option<Activation> ACTIVATION = Option.of("activation", "tanh|relu", Activation.TANH, "tanh",
            Activation::parse, "Hidden activation of the mlp model.");
    public static final Option<LabelKind> MLP_OUTPUT = Option.of("mlp-output", "real|binary", LabelKind.REAL, "real",
            v -> enumValue(LabelKind.class, v), "Output of the mlp model: real (squared loss) or binary (logistic loss).");
    public static final Option<Boolean> INTERCEPT = Option.of("intercept", "boolean", false, JobOptions::bool,
            "Fit an intercept (linear and logistic; the mlp always has biases).");

    // ------------------------------------------------------------------ weights
    public static final Option<LossWeightPolicy> LOSS_WEIGHTS = Option.of("loss-weights",
            PolicyRegistry.documentedNames(PolicyRegistry.lossRules(), "|"), LossWeightPolicy.ERMA, "erma", LossWeightPolicy::parse,
            "Loss-weight policy λ: what the objective counts. " + ruleList(PolicyRegistry.lossRules()) + ".");
    public static final Option<SamplingPolicy> SAMPLING = Option.of("sampling",
            PolicyRegistry.documentedNames(PolicyRegistry.samplingRules(), "|"),
            SamplingPolicy.VA, "va", SamplingPolicy::parse,
            "Sampling policy p: how often a step draws from each domain. " + ruleList(PolicyRegistry.samplingRules()) + ".");
    public static final Option<ImportanceMode> IMPORTANCE = Option.of("importance", "corrected|conflated",
            ImportanceMode.CORRECTED, "corrected", ImportanceMode::parse,
            "corrected: slot weight πλ/p, sampling changes only the variance; conflated: weight λ (baseline).");
    public static final Option<Double> EPSILON = Option.of("epsilon", "[0,1]", WeightSettings.DEFAULT_EPSILON,
            v -> within(parseDouble(v), 0, 1), "ε of the VA mixture p = (1−ε) p_VA + ε π.");
    public static final Option<Double> KAPPA = Option.of("kappa", "≥ 1", WeightSettings.DEFAULT_KAPPA,
            v -> within(parseDouble(v), 1, Double.MAX_VALUE), "Largest allowed ratio max λ / min λ.");
    public static final Option<Double> BETA = Option.of("beta", "(0,1]", 0.001, v -> positiveAtMostOne(parseDouble(v)),
            "β of the trainer's bias-corrected moving averages of ‖x‖² (step-size rule), gradient noise and training loss.");
    public static final Option<Long> STATS_WINDOW = Option.of("stats-window", "examples",
            TrainerSettings.DEFAULT_STATS_WINDOW_MAX, v -> atLeast(parseLong(v), 1),
            "Longest window of each domain's mean prequential loss (ERMA) and ‖∇ℓ‖² (VA): windows double up to this "
                    + "length, so the start-up is forgotten and drift is followed within about two windows.");
    public static final Option<io.domainmix.core.train.ErmaReference> ERMA_REFERENCE = Option.of("erma-reference",
            "auto|uniform|published", io.domainmix.core.train.ErmaReference.AUTO, io.domainmix.core.train.ErmaReference::parse,
            "The model ERMA scores each arrival's loss under: `uniform` a reference model trained alongside with every "
                    + "loss weight 1 (one more gradient per arrival), so λ does not feed back into the losses it is read "
                    + "from; `published` the published θ̄, trained with ERMA's own λ; `auto` uniform for the linear model, "
                    + "published for logistic and mlp (the lower held-out loss on each, see the README's design choices).");
    public static final Option<Long> MAX_STALENESS_STEPS = Option.of("max-staleness-steps", "steps",
            TrainerSettings.DEFAULT_MAX_STALENESS_STEPS, v -> integerWithin(parseLong(v), 1, TrainerSettings.MAX_STALENESS_LIMIT),
            "S: each arrival's loss is scored under a copy of θ̄ at most S − 1 steps old (refreshed every S steps), "
                    + "in a backlog replay too.");
    public static final Option<Long> MIN_EXAMPLES = Option.of("min-examples", "int", WeightSettings.DEFAULT_MIN_EXAMPLES,
            v -> atLeast(parseLong(v), 0), "Examples before a domain's own loss-weight estimate is used.");
    /** The weight rules' own parameters, one option each, as the rules declare them. */
    public static final List<Option<?>> RULE_PARAMETERS = PolicyRegistry.parameters().stream()
            .<Option<?>>map(JobOptions::option).toList();
    /** The options of rules that are not documented (registered for tests or experiments): parsed, not listed. */
    private static final java.util.Set<String> UNDOCUMENTED = PolicyRegistry.parameters().stream()
            .filter(p -> !PolicyRegistry.documented(p)).map(RuleParameter::name).collect(Collectors.toSet());
    public static final Option<Double> HEALTH_FACTOR = Option.of("health-factor", "> 1|off",
            TrainerSettings.DEFAULT_HEALTH_FACTOR, JobOptions::healthFactor,
            "F of the domain health events: a domain's loss rising, or its λ moving, by more than F within a window is "
                    + "reported (metrics topic, log, gauge `healthEvents`), as is a domain that stops arriving or a new one; "
                    + "off: stops and starts only. Steady estimates move by tens of percent at most.");
    public static final Option<Long> HEALTH_WINDOW = Option.of("health-window", "examples",
            TrainerSettings.DEFAULT_HEALTH_WINDOW, v -> atLeast(parseLong(v), 1),
            "A domain's health comparison window, in its arrivals: its loss and λ are compared with their values one "
                    + "to two windows back, and a domain is watched after its first window.");
    public static final Option<Long> FGLS_INTERVAL = Option.of("fgls-interval", "arrivals", 10_000L,
            v -> atLeast(parseLong(v), 1), "Arrivals between FGLS re-solves.");

    // ------------------------------------------------------------------ SGD
    public static final Option<Integer> BATCH_SIZE = Option.of("batch-size", "int", 1, v -> atLeast(parseInt(v), 1),
            "B: slots per SGD step.");
    public static final Option<io.domainmix.core.train.SlotDraws> SLOT_DRAWS = Option.of("slot-draws",
            "stratified|independent", io.domainmix.core.train.SlotDraws.STRATIFIED, io.domainmix.core.train.SlotDraws::parse,
            "How a step's B slots pick their domains (no effect at B = 1): `stratified` ⌊B·p_k⌋ slots for domain k and the "
                    + "rest by systematic sampling of the remainders, so a domain's count varies by less than one slot; "
                    + "`independent` B draws of k ~ p. Both draw k with probability p_k per slot on average, so the "
                    + "importance correction is the same.");
    public static final Option<Double> STEPS_PER_ARRIVAL = Option.of("steps-per-arrival", "> 0", 1.0,
            v -> positiveFinite(parseDouble(v)), "r: one step of B slots per B/r arrivals.");
    public static final Option<Integer> BUFFER_CAPACITY = Option.of("buffer-capacity", "int", 4096,
            v -> atLeast(parseInt(v), 1), "R: the most of its newest examples one domain keeps for sampling.");
    public static final Option<Long> BUFFER_BUDGET = Option.of("buffer-budget", "examples",
            TrainerSettings.DEFAULT_BUFFER_BUDGET, v -> atLeast(parseLong(v), 1),
            "Examples kept for sampling over all domains together: each domain keeps about budget · p_k (at most R, "
                    + "at least min(16, budget / 2K)), so many domains share the memory of a few.");
    public static final Option<Double> STEP_SIZE = Option.of("step-size", "auto|> 0", Double.NaN, "auto",
            JobOptions::stepSize, "η₀; auto = c / max_k w_k · curvature_k.");
    public static final Option<Double> STEP_SIZE_FACTOR = Option.of("step-size-factor", "(0,2)", 0.25,
            v -> withinOpen(parseDouble(v), 0, 2), "c of the automatic step size.");
    public static final Option<Double> STEP_DECAY = Option.of("step-decay", "none|> 0", Double.POSITIVE_INFINITY,
            "none", JobOptions::stepDecay, "τ of η_t = η₀ / (1 + t/τ); none keeps the step constant.");
    public static final Option<Double> MOMENTUM = Option.of("momentum", "[0,1)", 0.0,
            v -> withinHalfOpen(parseDouble(v), 0, 1), "Heavy-ball momentum μ.");
    public static final Option<Boolean> AVERAGING = Option.of("averaging", "boolean", true, JobOptions::bool,
            "Polyak–Ruppert averaging of the iterates since the burn-in (restarted when some λ moves by more than 1.5×, or while the loss under θ still falls between doubling points); the averaged θ̄ is the published model.");
    public static final Option<Double> SHARE_HALF_LIFE = Option.of("share-half-life", "arrivals", 20_000.0,
            v -> positiveFinite(parseDouble(v)), "Half-life of the decayed arrival counts behind the shares π.");

    // ------------------------------------------------------------------ cadence and runtime
    public static final Option<Long> STATS_EVERY = Option.of("stats-every", "examples", 1000L,
            v -> atLeast(parseLong(v), 1), "A domain's statistics summary goes to the trainer every this many of its examples.");
    public static final Option<Long> STATS_INTERVAL_MS = Option.of("stats-interval-ms", "ms", 1000L,
            v -> atLeast(parseLong(v), 0), "A domain's statistics summary also goes to the trainer this long after its first unsent example "
                    + "(0: count trigger only).");
    public static final Option<Long> SNAPSHOT_EVERY = Option.of("snapshot-every", "steps", 1000L,
            v -> atLeast(parseLong(v), 1), "A model snapshot is published every this many SGD steps.");
    public static final Option<Long> SNAPSHOT_INTERVAL_MS = Option.of("snapshot-interval-ms", "ms", 0L,
            v -> atLeast(parseLong(v), 0), "Least time between two snapshots (0: no limit). At hundreds of thousands of "
                    + "steps a second, `--snapshot-every` alone publishes more snapshots than readers need.");
    public static final Option<Long> METRICS_EVERY = Option.of("metrics-every", "steps", 1000L,
            v -> atLeast(parseLong(v), 1), "A metrics record is published every this many SGD steps.");
    public static final Option<Integer> ARRIVAL_MIX_WINDOW = Option.of("arrival-mix-window", "arrivals",
            TrainerSettings.DEFAULT_ARRIVAL_MIX_WINDOW,
            v -> (int) integerWithin(parseInt(v), 1, TrainerSettings.ARRIVAL_MIX_WINDOW_LIMIT),
            "N: the arrival-mix metric is each domain's share of the last N arrivals, beside its long-run share.");
    public static final Option<Integer> EXCHANGE_BATCH = Option.of("exchange-batch", "examples", 64,
            v -> atLeast(parseInt(v), 1), "Examples of one domain sent on from validation as one record (1: each on its own); "
                    + "one record per batch is what makes the exchanges cheap.");
    public static final Option<Long> EXCHANGE_LINGER_MS = Option.of("exchange-linger-ms", "ms", 20L,
            v -> atLeast(parseLong(v), 1), "Longest an example waits for its batch to fill; no example waits past a "
                    + "checkpoint barrier or the end of input.");
    public static final Option<Long> CHECKPOINT_INTERVAL_MS = Option.of("checkpoint-interval-ms", "ms", 10_000L,
            v -> atLeast(parseLong(v), 10), "Checkpoint interval (exactly-once state).");
    public static final Option<String> CHECKPOINT_DIR = Option.of("checkpoint-dir", "path|URI", "",
            "(cluster's `execution.checkpointing.dir`; `domainmix train`: `domainmix-work/checkpoints`)",
            JobOptions::checkpointDir,
            "Where checkpoints are written, as files: a local path or a URI the cluster can write (`file:///`, `s3://`, ...). "
                    + "Given here it wins over the cluster's setting; with neither, Flink keeps checkpoints in the "
                    + "JobManager's memory, which holds at most 5 MB of state.");
    public static final Option<StateBackendKind> STATE_BACKEND = Option.of("state-backend", "hashmap|rocksdb|forst",
            StateBackendKind.HASHMAP, "(cluster's `state.backend.type`, else hashmap)", StateBackendKind::parse,
            "Where keyed state lives between checkpoints: hashmap (JVM heap), rocksdb or forst (local disk; their "
                    + "checkpoints are incremental). Given here it wins over the cluster's `state.backend.type`.");
    public static final Option<Integer> TOLERABLE_FAILED_CHECKPOINTS = Option.of("tolerable-failed-checkpoints", "int", 3,
            v -> atLeast(parseInt(v), 0), "Checkpoints that may fail in a row before the job restarts from its last "
                    + "completed one (a completed checkpoint resets the count).");
    public static final Option<String> RUN_ID = Option.of("run-id", "string", "domainmix", JobOptions::runId,
            "Names the training run: snapshots and metrics carry it; the job reads back only its own snapshots.");
    public static final Option<String> JOB_NAME = Option.of("job-name", "string", "", "`domainmix <run-id>`",
            s -> s, "Flink job name.");
    public static final Option<Integer> STATISTICS_PARALLELISM = Option.of("statistics-parallelism", "int", 0,
            "(job default)", v -> atLeast(parseInt(v), 0),
            "Parallelism of decoding, validation and per-domain statistics (the trainer always runs once per run).");
    public static final Option<Integer> SOURCE_PARALLELISM = Option.of("source-parallelism", "int", 0,
            "(statistics parallelism)", v -> atLeast(parseInt(v), 0),
            "Parallelism of decoding and validation. With `--arrival-order off` also the number of Kafka readers, each "
                    + "decoding its own records; paced, the readers are `--arrival-readers`.");
    public static final Option<Long> SEED = Option.of("seed", "long", 1L, JobOptions::parseLong,
            "Seed of θ₀ and of the trainer's sampling.");

    /** Every option, in documentation order. */
    public static final List<Option<?>> ALL = withRuleParameters(
            BOOTSTRAP_SERVERS, TOPICS, TOPIC_PATTERN, TOPIC_PREFIX, START_OFFSETS, BOUNDED, KAFKA_PROPERTY, GROUP_ID,
            PARTITION_DISCOVERY_MS, ARRIVAL_ORDER, ARRIVAL_READERS, ARRIVAL_DRIFT_MS, ARRIVAL_IDLE_MS, ARRIVAL_UPDATE_MS,
            CREATE_TOPICS, SNAPSHOT_TOPIC, METRICS_TOPIC, DEAD_LETTER_TOPIC, MAX_RECORD_BYTES,
            MODEL, DIM, HIDDEN, ACTIVATION, MLP_OUTPUT, INTERCEPT,
            LOSS_WEIGHTS, SAMPLING, IMPORTANCE, EPSILON, KAPPA, BETA, STATS_WINDOW, ERMA_REFERENCE, MAX_STALENESS_STEPS, MIN_EXAMPLES,
            FGLS_INTERVAL, HEALTH_FACTOR, HEALTH_WINDOW,
            BATCH_SIZE, SLOT_DRAWS, STEPS_PER_ARRIVAL, BUFFER_CAPACITY, BUFFER_BUDGET, STEP_SIZE, STEP_SIZE_FACTOR, STEP_DECAY, MOMENTUM,
            AVERAGING, SHARE_HALF_LIFE,
            STATS_EVERY, STATS_INTERVAL_MS, SNAPSHOT_EVERY, SNAPSHOT_INTERVAL_MS, METRICS_EVERY, ARRIVAL_MIX_WINDOW,
            EXCHANGE_BATCH, EXCHANGE_LINGER_MS,
            CHECKPOINT_INTERVAL_MS, CHECKPOINT_DIR, STATE_BACKEND, TOLERABLE_FAILED_CHECKPOINTS, RUN_ID, JOB_NAME,
            STATISTICS_PARALLELISM, SOURCE_PARALLELISM, SEED);

    /** The options with the rules' parameters after {@code --fgls-interval}, the last of the weight options. */
    private static List<Option<?>> withRuleParameters(Option<?>... fixed) {
        List<Option<?>> all = new ArrayList<>(Arrays.asList(fixed));
        all.addAll(all.indexOf(FGLS_INTERVAL) + 1, RULE_PARAMETERS);
        return List.copyOf(all);
    }

    private static <T> Option<T> option(RuleParameter<T> p) {
        RuleParameter.Parser<T> parser = p.parser();
        return new Option<>(p.name(), p.type(), p.defaultValue(), p.defaultText(), parser::apply, false,
                p.description());
    }

    private static String ruleList(List<? extends WeightRule> rules) {
        return rules.stream().filter(WeightRule::documented).map(r -> "`" + r.name() + "` — " + r.description())
                .collect(Collectors.joining("; "));
    }

    /** Where a fresh job starts reading its example topics. */
    public enum StartOffsets {
        EARLIEST, LATEST, COMMITTED;

        static StartOffsets parse(String s) {
            return enumValue(StartOffsets.class, s);
        }

        /** Where a Kafka source without restored offsets starts. */
        public OffsetsInitializer initializer() {
            switch (this) {
                case LATEST: return OffsetsInitializer.latest();
                case COMMITTED: return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                default: return OffsetsInitializer.earliest();
            }
        }
    }

    /** Flink's state backends, by the name {@code state.backend.type} knows them. */
    public enum StateBackendKind {
        HASHMAP, ROCKSDB, FORST;

        static StateBackendKind parse(String s) {
            return enumValue(StateBackendKind.class, s);
        }

        /** The value of Flink's {@code state.backend.type}. */
        public String flinkName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the backend writes incremental checkpoints (only what changed since the last one). */
        public boolean incremental() {
            return this != HASHMAP;
        }
    }

    private final Map<String, Object> values;
    private final Map<String, List<String>> repeated;

    private JobOptions(Map<String, Object> values, Map<String, List<String>> repeated) {
        this.values = values;
        this.repeated = repeated;
    }

    /** The defaults. */
    public static JobOptions defaults() {
        return parse();
    }

    /**
     * Parses {@code --name value}, {@code --name=value}, and for booleans a bare {@code --name}.
     *
     * @throws IllegalArgumentException naming the option and what it allows
     */
    public static JobOptions parse(String... args) {
        OptionArgs parsed = OptionArgs.parse(ALL, args);
        Map<String, Object> values = parsed.values();
        Map<String, List<String>> repeated = parsed.repeated();
        JobOptions options = new JobOptions(values, repeated);
        options.validate();
        return options;
    }

    /** Checks that hold between options. */
    private void validate() {
        if (!get(TOPICS).isEmpty() && !get(TOPIC_PATTERN).isEmpty()) {
            throw new IllegalArgumentException("give either --topics or --topic-pattern, not both");
        }
        try {
            trainerSettings().validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionHint(e.getMessage()), e);
        }
        List<String> outputs = List.of(get(SNAPSHOT_TOPIC), get(METRICS_TOPIC), get(DEAD_LETTER_TOPIC));
        for (String t : outputs) {
            if (get(TOPICS).contains(t) || (get(TOPICS).isEmpty() && topicPattern().matcher(t).matches())) {
                throw new IllegalArgumentException("output topic '" + t + "' would also be read as an example topic; "
                        + "change --topics/--topic-pattern or the output topic names");
            }
        }
    }

    private static String optionHint(String message) {
        String m = message;
        java.util.regex.Matcher linear = Pattern.compile("^the (\\S+) (loss-weight|sampling) policy needs the linear model")
                .matcher(m);
        if (linear.find()) {
            return (linear.group(2).equals("sampling") ? "--sampling " : "--loss-weights ") + linear.group(1) + ": " + m;
        }
        if (m.contains("static loss")) {
            return "--static-loss-weights: " + m;
        }
        if (m.contains("static sampling")) {
            return "--static-sampling-weights: " + m;
        }
        return m;
    }

    /** The value of a weight rule's parameter (its default when not given). */
    @SuppressWarnings("unchecked")
    public <T> T get(RuleParameter<T> p) {
        return values.containsKey(p.name()) ? (T) values.get(p.name()) : p.defaultValue();
    }

    /** The value of an option (its default when not given). */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        if (option.repeatable()) {
            throw new IllegalArgumentException("--" + option.name() + " is repeatable; use all()");
        }
        return values.containsKey(option.name()) ? (T) values.get(option.name()) : option.defaultValue();
    }

    /** Every value of a repeatable option, in order. */
    public List<String> all(Option<String> option) {
        return Collections.unmodifiableList(repeated.getOrDefault(option.name(), List.of()));
    }

    public boolean isSet(Option<?> option) {
        return values.containsKey(option.name()) || repeated.containsKey(option.name());
    }

    /** A copy with one more argument pair applied (later values win). */
    public JobOptions with(Option<?> option, String value) {
        List<String> args = new ArrayList<>(toArgs());
        args.add("--" + option.name());
        args.add(value);
        return parse(args.toArray(new String[0]));
    }

    /** The arguments that reproduce these options. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        for (Option<?> o : ALL) {
            if (o.repeatable()) {
                for (String v : repeated.getOrDefault(o.name(), List.of())) {
                    args.add("--" + o.name());
                    args.add(v);
                }
            } else if (values.containsKey(o.name())) {
                args.add("--" + o.name());
                args.add(render(values.get(o.name())));
            }
        }
        return args;
    }

    private static String render(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (v instanceof Double d && Double.isNaN(d)) {
            return "auto";
        }
        if (v instanceof Double d && Double.isInfinite(d)) {
            return "none";
        }
        return String.valueOf(v);
    }

    // ------------------------------------------------------------------ derived settings

    public ModelSpec modelSpec() {
        return ModelSpec.of(get(MODEL), get(DIM), get(INTERCEPT), get(HIDDEN), get(ACTIVATION), get(MLP_OUTPUT));
    }

    public ExampleSchema exampleSchema() {
        ModelSpec spec = modelSpec();
        return new ExampleSchema(spec.dimension(), spec.labelKind(), get(MAX_RECORD_BYTES));
    }

    public WeightSettings weightSettings() {
        WeightSettings w = new WeightSettings(get(LOSS_WEIGHTS), get(SAMPLING), get(IMPORTANCE));
        w.epsilon = get(EPSILON);
        w.kappa = get(KAPPA);
        w.minExamples = get(MIN_EXAMPLES);
        for (Option<?> o : RULE_PARAMETERS) {
            w.parameters.put(o.name(), get(o));
        }
        return w;
    }

    public TrainerSettings trainerSettings() {
        TrainerSettings t = new TrainerSettings(modelSpec(), weightSettings());
        t.batchSize = get(BATCH_SIZE);
        t.slotDraws = get(SLOT_DRAWS);
        t.stepsPerArrival = get(STEPS_PER_ARRIVAL);
        t.bufferCapacity = get(BUFFER_CAPACITY);
        t.bufferBudget = get(BUFFER_BUDGET);
        t.stepSize = get(STEP_SIZE);
        t.stepSizeFactor = get(STEP_SIZE_FACTOR);
        t.stepDecay = get(STEP_DECAY);
        t.momentum = get(MOMENTUM);
        t.averaging = get(AVERAGING);
        t.shareHalfLife = get(SHARE_HALF_LIFE);
        t.fglsInterval = get(FGLS_INTERVAL);
        t.emaBeta = get(BETA);
        t.statsWindowMax = get(STATS_WINDOW);
        t.ermaReference = get(ERMA_REFERENCE);
        t.maxStalenessSteps = get(MAX_STALENESS_STEPS);
        t.arrivalMixWindow = get(ARRIVAL_MIX_WINDOW);
        t.seed = get(SEED);
        t.healthFactor = get(HEALTH_FACTOR);
        t.healthWindow = get(HEALTH_WINDOW);
        return t;
    }

    /** The example-topic pattern: the given one, or {@code <prefix>\..+}. */
    public Pattern topicPattern() {
        String p = get(TOPIC_PATTERN);
        return Pattern.compile(p.isEmpty() ? Pattern.quote(get(TOPIC_PREFIX) + ".") + ".+" : p);
    }

    public String groupId() {
        String g = get(GROUP_ID);
        return g.isEmpty() ? "domainmix-" + get(RUN_ID) : g;
    }

    public String jobName() {
        String n = get(JOB_NAME);
        return n.isEmpty() ? "domainmix " + get(RUN_ID) : n;
    }

    /** The {@code --kafka-property} pairs. */
    public Properties kafkaProperties() {
        return OptionArgs.properties(all(KAFKA_PROPERTY));
    }

    // ------------------------------------------------------------------ documentation

    /** The options the documentation lists: all but the parameters of undocumented rules. */
    public static List<Option<?>> documented() {
        return ALL.stream().filter(o -> !UNDOCUMENTED.contains(o.name())).toList();
    }

    /** The options as a Markdown table: option, type, default, description. */
    public static String markdownTable() {
        return OptionArgs.markdownTable(documented());
    }

    /** A plain-text usage summary for the command line. */
    public static String usage() {
        return OptionArgs.usage(ALL);
    }

    // ------------------------------------------------------------------ parsers (they validate too)

    static String nonEmpty(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }

    static String runId(String s) {
        if (!s.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("allowed: 1 to 200 of letters, digits, '.', '_', '-'");
        }
        return s;
    }

    static List<String> topicList(String s) {
        List<String> topics = Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        for (String t : topics) {
            if (!t.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("'" + t + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
            }
        }
        return topics;
    }

    private static String regex(String s) {
        try {
            Pattern.compile(s);
            return s;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription());
        }
    }

    /** A path becomes a {@code file://} URI; a URI with a scheme is taken as it is. */
    private static String checkpointDir(String s) {
        if (s.isEmpty()) {
            return s;
        }
        if (s.matches("[A-Za-z][A-Za-z0-9+.-]+://.*")) {
            return s;
        }
        try {
            return java.nio.file.Path.of(s).toAbsolutePath().normalize().toUri().toString();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a path or URI: " + e.getMessage());
        }
    }

    static String keyValue(String s) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value");
        }
        return s;
    }

    static Boolean bool(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": return true;
            case "false": case "no": case "off": return false;
            default: throw new IllegalArgumentException("allowed: true, false");
        }
    }

    private static Double healthFactor(String s) {
        if ("off".equalsIgnoreCase(s) || "none".equalsIgnoreCase(s)) {
            return Double.POSITIVE_INFINITY;
        }
        double f = parseDouble(s);
        if (!(f > 1)) {
            throw new IllegalArgumentException("allowed: a number > 1, or off");
        }
        return f;
    }

    private static Double stepSize(String s) {
        return "auto".equalsIgnoreCase(s) ? Double.NaN : positiveFinite(parseDouble(s));
    }

    private static Double stepDecay(String s) {
        return "none".equalsIgnoreCase(s) ? Double.POSITIVE_INFINITY : positiveFinite(parseDouble(s));
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String s) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("allowed: " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    static <N extends Number> N atLeast(N v, long min) {
        if (v.longValue() < min) {
            throw new IllegalArgumentException("allowed: an integer >= " + min);
        }
        return v;
    }

    private static long integerWithin(long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("allowed: an integer in [" + lo + ", " + hi + "]");
        }
        return v;
    }

    private static double positiveFinite(double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("allowed: a finite number > 0");
        }
        return v;
    }

    private static double positiveAtMostOne(double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException("allowed: a number in (0, 1]");
        }
        return v;
    }

    private static double within(double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException("allowed: a number in [" + lo + ", " + (hi == Double.MAX_VALUE ? "∞" : hi) + "]");
        }
        return v;
    }

    private static double withinOpen(double v, double lo, double hi) {
        if (!(v > lo && v < hi)) {
            throw new IllegalArgumentException("allowed: a number in (" + lo + ", " + hi + ")");
        }
        return v;
    }

    private static double withinHalfOpen(double v, double lo, double hi) {
        if (!(v >= lo && v < hi)) {
            throw new IllegalArgumentException("allowed: a number in [" + lo + ", " + hi + ")");
        }
        return v;
    }
}
