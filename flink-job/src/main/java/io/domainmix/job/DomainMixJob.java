package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.job.arrival.ArrivalAlignment;
import io.domainmix.job.arrival.ArrivalOrder;
import io.domainmix.job.arrival.MergingKafkaSource;
import io.domainmix.job.arrival.StartBacklog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.DetachedJobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * The domainmix training job (DESIGN.md "Data flow in the job"):
 *
 * <pre>
 * example topics ─▶ validate ─┬─▶ rejected ─▶ dead-letter topic
 *                             ▼
 *                          batching ───────────────────────────────┐ batches in arrival order
 *                             ▼ batches of one domain's examples     │
 *            keyBy(domain) statistics (exact counts, FGLS sufficient statistics)
 *                             ▼ DomainStats                         │
 *            keyBy(run) trainer (scores each arrival, then trains) ◀─┘ ─▶ snapshot topic, metrics topic
 * </pre>
 *
 * The trainer takes the examples from the batching operator, not through the statistics, so that
 * it sees them in the order the source paced them into (see {@link BatchByDomainOperator}). With
 * one paced reader and several decoders the reader numbers its records in chunks
 * ({@link SequenceChunksOperator}), the decoders send the trainer each chunk's examples
 * ({@link ParseChunksFunction}), and {@link ResequenceFunction}, chained to the trainer, puts them
 * back in the reader's order:
 *
 * <pre>
 * example topics ─▶ one reader ─▶ numbered chunks ─rebalance─▶ validate (n subtasks) ─▶ batching ─▶ statistics
 *                                                                 └─ each chunk's examples ─▶ resequence ─▶ trainer
 * </pre>
 *
 * {@link #build} wires the operators between any sources and sinks (tests pass their own);
 * {@link #buildKafka} and {@link #main} plug in Kafka. Options: {@link JobOptions}.
 */
public final class DomainMixJob {

    /** The job's three outputs. */
    public record Sinks(Sink<PublishedSnapshot> snapshots, Sink<MetricsRecord> metrics, Sink<DeadLetter> deadLetters) {}

    /** The streams {@link #build} created, for callers that attach more (tests, tools). */
    public record Topology(SingleOutputStreamOperator<Example> examples, DataStream<TrainerInput> toTrainer,
                           SingleOutputStreamOperator<PublishedSnapshot> snapshots) {}

    /**
     * Bytes of fetched records a paced reader holds back while it merges its partitions (README
     * "Bounded resources"): about 19,000 JSON examples at d = 20, shared by the reader's partitions.
     */
    static final long MERGE_BUDGET_BYTES = 8L * 1024 * 1024;

    /** Bytes a paced reader fetches of a partition at a time: the Kafka client's default. */
    static final int PACED_FETCH_BYTES = 1024 * 1024;

    /** Records a paced reader takes from its consumer at a time, which may exceed the merge budget once. */
    static final int PACED_POLL_RECORDS = 2000;

    /** Longest an exchange holds a partly filled buffer when partitions are paced. */
    static final long PACED_BUFFER_TIMEOUT_MS = 5;

    private DomainMixJob() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println("domainmix training job: flink run <jar> [options]\n\n" + JobOptions.usage());
            return;
        }
        JobOptions options = JobOptions.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (options.get(JobOptions.CHECKPOINT_DIR).isEmpty()
                && env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            System.err.println("domainmix: neither --checkpoint-dir nor the cluster's execution.checkpointing.dir is set, "
                    + "so checkpoints go to the JobManager's memory, which holds at most 5 MB of state; "
                    + "set --checkpoint-dir to a directory every JobManager and TaskManager can reach");
        }
        buildKafka(env, options);
        JobExecutionResult result = env.execute(options.jobName());
        // `flink run -d` and REST submission return at once with a detached result that has no runtime
        if (!(result instanceof DetachedJobExecutionResult)) {
            System.out.println("job " + options.jobName() + " finished in " + result.getNetRuntime(TimeUnit.MILLISECONDS) + " ms");
        }
    }

    /** Checkpointing, Kafka sources and sinks (creating the output topics when asked), and the operators. */
    public static Topology buildKafka(StreamExecutionEnvironment env, JobOptions options) throws Exception {
        if (options.get(JobOptions.CREATE_TOPICS)) {
            createOutputTopics(options);
        }
        checkOutputTopicAccess(options);
        configure(env, options);
        return build(options, kafkaRecords(env, options), kafkaSinks(options));
    }

    /**
     * Exactly-once checkpoints at the configured interval; no generic (Kryo) serialization: every
     * type in the job is a Flink POJO or has its own serializer, and a type that is not should
     * fail at once rather than silently checkpoint slowly and unportably; and object reuse, so
     * that chained operators hand records on instead of copying them (no function here keeps or
     * changes a record it has received or emitted).
     *
     * <p>Checkpoint storage and state backend: what the options give wins over the cluster's
     * configuration, which wins over Flink's defaults (see {@link #checkpointConfiguration}).
     */
    public static void configure(StreamExecutionEnvironment env, JobOptions options) {
        env.enableCheckpointing(options.get(JobOptions.CHECKPOINT_INTERVAL_MS));
        env.getConfig().enableObjectReuse();
        Configuration conf = checkpointConfiguration(options);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
    }

    /**
     * The job-level settings of checkpoints and state: file storage under {@code --checkpoint-dir}
     * and the state backend of {@code --state-backend} when they are given (a job's settings
     * override the cluster's), incremental checkpoints with RocksDB and ForSt, and how many
     * checkpoints may fail in a row. A failed checkpoint costs nothing by itself: the next one
     * includes everything; only a run of failures means the job cannot make progress safely.
     */
    public static Configuration checkpointConfiguration(JobOptions options) {
        Configuration conf = new Configuration();
        if (options.isSet(JobOptions.CHECKPOINT_DIR) && !options.get(JobOptions.CHECKPOINT_DIR).isEmpty()) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.get(JobOptions.CHECKPOINT_DIR));
        }
        if (options.isSet(JobOptions.STATE_BACKEND)) {
            JobOptions.StateBackendKind backend = options.get(JobOptions.STATE_BACKEND);
            conf.set(StateBackendOptions.STATE_BACKEND, backend.flinkName());
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, backend.incremental());
        }
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, options.get(JobOptions.TOLERABLE_FAILED_CHECKPOINTS));
        return conf;
    }

    /**
     * Wires validation, per-domain statistics and the trainer between the given inputs and sinks.
     *
     * @param records raw example records (from Kafka, or any test source)
     */
    public static Topology build(JobOptions options, DataStream<RawRecord> records, Sinks sinks) {
        TrainerSettings settings = options.trainerSettings();
        String runId = options.get(JobOptions.RUN_ID);
        int parallelism = options.get(JobOptions.STATISTICS_PARALLELISM);

        int decoders = decoders(options, records);
        // One paced reader hands its records on in sequence; decoded by several subtasks, they are put
        // back in that sequence before the trainer. Otherwise each source subtask decodes its own.
        boolean resequence = options.get(JobOptions.ARRIVAL_ORDER) != ArrivalOrder.OFF
                && records.getParallelism() == 1 && decoders > 1;
        SingleOutputStreamOperator<Example> examples;
        if (resequence) {
            examples = records
                    .transform("sequence", TypeInformation.of(RawChunk.class),
                            new SequenceChunksOperator(options.get(JobOptions.EXCHANGE_BATCH), options.get(JobOptions.EXCHANGE_LINGER_MS)))
                    .uid("sequence-chunks").setParallelism(1) // chained to the source
                    .rebalance()
                    .process(new ParseChunksFunction(options.exampleSchema(), options.get(JobOptions.TOPIC_PREFIX), runId))
                    .name("validate").uid("validate").setParallelism(decoders);
        } else {
            examples = records
                    .process(new ParseExamplesFunction(options.exampleSchema(), options.get(JobOptions.TOPIC_PREFIX), runId))
                    .name("validate").uid("validate")
                    .setParallelism(records.getParallelism()); // chained to the source
        }
        examples.getSideOutput(ParseExamplesFunction.REJECTED)
                .sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("dead-letter-sink");

        SingleOutputStreamOperator<ExampleBatch> batches = examples
                .transform("batch by domain", TypeInformation.of(ExampleBatch.class),
                        new BatchByDomainOperator(options.get(JobOptions.EXCHANGE_BATCH), options.get(JobOptions.EXCHANGE_LINGER_MS),
                                !resequence))
                .uid("batch-by-domain")
                .setParallelism(examples.getParallelism()); // chained to validation

        SingleOutputStreamOperator<TrainerInput> summaries = batches
                .keyBy(new ByDomain())
                .process(new DomainStatisticsFunction(settings, options.get(JobOptions.STATS_EVERY),
                        options.get(JobOptions.STATS_INTERVAL_MS)))
                .name("domain statistics").uid("domain-statistics");
        if (parallelism > 0) {
            summaries.setParallelism(parallelism);
        }
        KeyedStream<TrainerInput, String> toTrainer;
        if (resequence) {
            SingleOutputStreamOperator<TrainerInput> inSequence = examples.getSideOutput(ParseChunksFunction.IN_SEQUENCE)
                    .keyBy(new ByRun<SequencedBatch>(runId))
                    .connect(summaries.keyBy(new ByRun<TrainerInput>(runId)))
                    .process(new ResequenceFunction())
                    .setParallelism(1)
                    .name("resequence").uid("resequence");
            // the same key as the trainer's, on one subtask: chained to it, no further exchange
            toTrainer = DataStreamUtils.reinterpretAsKeyedStream(inSequence, new ByRun<TrainerInput>(runId));
        } else {
            toTrainer = batches.getSideOutput(BatchByDomainOperator.IN_ARRIVAL_ORDER).union(summaries).keyBy(new ByRun<TrainerInput>(runId));
        }

        SingleOutputStreamOperator<PublishedSnapshot> snapshots = toTrainer
                .process(new TrainerFunction(settings, runId, options.get(JobOptions.SNAPSHOT_EVERY),
                        options.get(JobOptions.SNAPSHOT_INTERVAL_MS), options.get(JobOptions.METRICS_EVERY)))
                .setParallelism(1)
                .name("trainer").uid("trainer");
        snapshots.sinkTo(sinks.snapshots()).setParallelism(1).name("snapshot sink").uid("snapshot-sink");
        snapshots.getSideOutput(TrainerFunction.METRICS)
                .sinkTo(sinks.metrics()).setParallelism(1).name("metrics sink").uid("metrics-sink");
        return new Topology(examples, toTrainer, snapshots);
    }

    /** The example topics as raw records (offsets in checkpoints; bounded at the latest offsets when asked). */
    public static DataStream<RawRecord> kafkaRecords(StreamExecutionEnvironment env, JobOptions options) {
        Properties props = new Properties();
        if (options.get(JobOptions.ARRIVAL_ORDER) == ArrivalOrder.OFF) {
            // small fetches per partition interleave the domains finely; with the client's 1 MB default a
            // reader takes thousands of one domain's records at a time, which skews the recent shares π
            props.setProperty("max.partition.fetch.bytes", String.valueOf(64 * 1024));
        } else {
            // A paced reader interleaves by merging, so its fetches can be large. Its merge waits for
            // the partition with the earliest next record; with 64 KB fetches that partition ran dry
            // once per round trip to the broker, and with 500 records a poll two polls in three
            // brought records of other partitions only.
            props.setProperty("max.partition.fetch.bytes", String.valueOf(PACED_FETCH_BYTES));
            props.setProperty("max.poll.records", String.valueOf(PACED_POLL_RECORDS));
        }
        props.putAll(options.kafkaProperties());
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(options.get(JobOptions.BOOTSTRAP_SERVERS))
                .setProperties(props)
                .setGroupId(options.groupId())
                .setClientIdPrefix("domainmix-" + options.get(JobOptions.RUN_ID))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("partition.discovery.interval.ms",
                        String.valueOf(options.get(JobOptions.PARTITION_DISCOVERY_MS)));
        List<String> topics = options.get(JobOptions.TOPICS);
        if (topics.isEmpty()) {
            b.setTopicPattern(options.topicPattern());
        } else {
            b.setTopics(topics);
        }
        b.setStartingOffsets(options.get(JobOptions.START_OFFSETS).initializer());
        if (options.get(JobOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        KafkaSource<RawRecord> kafka = b.build();
        ArrivalOrder order = options.get(JobOptions.ARRIVAL_ORDER);
        // paced: --arrival-readers readers (one by default, whose records are decoded in parallel and
        // put back in its order before the trainer); unpaced: a reader per decoding subtask
        int parallelism = order != ArrivalOrder.OFF ? options.get(JobOptions.ARRIVAL_READERS)
                : options.get(JobOptions.SOURCE_PARALLELISM) > 0 ? options.get(JobOptions.SOURCE_PARALLELISM)
                : options.get(JobOptions.STATISTICS_PARALLELISM);
        DataStream<RawRecord> records;
        if (order == ArrivalOrder.OFF) {
            records = env.fromSource(kafka, WatermarkStrategy.noWatermarks(), "examples");
        } else {
            // An exchange sends a channel's buffer when it is full or after the buffer timeout (100 ms
            // by default). The trainer reads one reader's buffer, then another's, so at a few thousand
            // examples a second it would see each reader's domains in blocks of hundreds; and a
            // backlog read at full speed passes the trainer within such a timeout, before the
            // statistics' summaries (FGLS's λ) come back to it.
            env.setBufferTimeout(Math.min(env.getBufferTimeout() < 0 ? Long.MAX_VALUE : env.getBufferTimeout(),
                    PACED_BUFFER_TIMEOUT_MS));
            StartBacklog backlog = order == ArrivalOrder.PROGRESS ? startBacklog(options) : null;
            long span = options.get(JobOptions.ARRIVAL_DRIFT_MS) * ArrivalAlignment.PROGRESS_DRIFTS_PER_BACKLOG;
            // A bounded input needs no idleness: an empty partition finishes at once and a finished one leaves.
            long idleMs = options.get(JobOptions.BOUNDED) ? 0 : options.get(JobOptions.ARRIVAL_IDLE_MS);
            // the deserializer keeps no state and needs no open(): the readers built here use it as it is
            MergingKafkaSource<RawRecord> merging = order == ArrivalOrder.PROGRESS
                    ? MergingKafkaSource.byProgress(kafka, new RawRecordDeserializer(), backlog, span, MERGE_BUDGET_BYTES, idleMs)
                    : MergingKafkaSource.byEventTime(kafka, new RawRecordDeserializer(), MERGE_BUDGET_BYTES, idleMs);
            // One reader merges all partitions itself; several keep pace with each other by split alignment.
            int readers = parallelism > 0 ? parallelism : env.getParallelism();
            records = env.fromSource(merging, readers > 1 ? arrivalWatermarks(env, options, backlog)
                    : WatermarkStrategy.noWatermarks(), "examples");
        }
        ((SingleOutputStreamOperator<RawRecord>) records).uid("example-source");
        if (parallelism > 0) {
            ((SingleOutputStreamOperator<RawRecord>) records).setParallelism(parallelism);
        }
        return records;
    }

    /**
     * How many subtasks decode and validate the examples: {@code --source-parallelism}, else the
     * statistics', else the job's. With one paced reader they take its records in numbered chunks.
     */
    static int decoders(JobOptions options, DataStream<RawRecord> records) {
        if (options.get(JobOptions.SOURCE_PARALLELISM) > 0) {
            return options.get(JobOptions.SOURCE_PARALLELISM);
        }
        if (options.get(JobOptions.STATISTICS_PARALLELISM) > 0) {
            return options.get(JobOptions.STATISTICS_PARALLELISM);
        }
        return records.getExecutionEnvironment().getParallelism();
    }

    /**
     * The start backlog of {@link ArrivalOrder#PROGRESS}, measured here, once, so that the virtual
     * clock of a restarted job is the same as before its failure.
     */
    static StartBacklog startBacklog(JobOptions options) {
        Properties props = options.kafkaProperties();
        props.setProperty("bootstrap.servers", options.get(JobOptions.BOOTSTRAP_SERVERS));
        try (Admin admin = Admin.create(props)) {
            return StartBacklog.measure(admin, options.get(JobOptions.TOPICS), options.topicPattern(),
                    options.get(JobOptions.START_OFFSETS), options.groupId());
        } catch (Exception e) {
            throw new IllegalStateException("--arrival-order progress: cannot measure the example topics' backlog at "
                    + options.get(JobOptions.BOOTSTRAP_SERVERS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * How several readers keep pace with each other (README "Arrival order on replay"): the
     * partitions' watermarks, and how often they are combined and compared, so that split
     * alignment pauses a partition that runs more than the allowed drift ahead of the slowest.
     *
     * @param backlog the start backlog in progress mode, null in event-time mode
     */
    static WatermarkStrategy<RawRecord> arrivalWatermarks(StreamExecutionEnvironment env, JobOptions options,
                                                          StartBacklog backlog) {
        ArrivalOrder order = options.get(JobOptions.ARRIVAL_ORDER);
        long drift = options.get(JobOptions.ARRIVAL_DRIFT_MS);
        long update = options.get(JobOptions.ARRIVAL_UPDATE_MS);
        // the readers report their watermarks when they emit them periodically: as often as the limit moves
        env.getConfig().setAutoWatermarkInterval(Math.min(env.getConfig().getAutoWatermarkInterval(), update));
        // A bounded input needs no idleness: an empty partition finishes at once and a finished one
        // leaves the group. Without it, a partition paused at its last records cannot be marked idle
        // and then never resumed (FLINK-40093), which left bounded jobs unfinished.
        Duration idle = options.get(JobOptions.BOUNDED) ? null : Duration.ofMillis(options.get(JobOptions.ARRIVAL_IDLE_MS));
        StartBacklog start = backlog != null ? backlog : new StartBacklog(java.util.Map.of(), System.currentTimeMillis());
        return ArrivalAlignment.watermarks(order, start, Duration.ofMillis(drift), idle, Duration.ofMillis(update));
    }

    /**
     * Kafka sinks, at-least-once: a restart re-emits what was produced after the last
     * checkpoint. Snapshots carry a version and metrics a step, so a reader keeps the newest;
     * dead letters carry topic, partition and offset, which identify duplicates.
     */
    public static Sinks kafkaSinks(JobOptions options) {
        Properties large = options.kafkaProperties();
        large.putIfAbsent("max.request.size", String.valueOf(LARGE_RECORD_BYTES));
        String servers = options.get(JobOptions.BOOTSTRAP_SERVERS);
        return new Sinks(
                atLeastOnceSink(servers, large, new JsonRecordSerializer<PublishedSnapshot>(options.get(JobOptions.SNAPSHOT_TOPIC),
                        s -> s.snapshot.runId, JobJson::snapshot)),
                atLeastOnceSink(servers, large, new JsonRecordSerializer<MetricsRecord>(options.get(JobOptions.METRICS_TOPIC),
                        m -> m.runId, JobJson::metrics)),
                sink(options, new JsonRecordSerializer<DeadLetter>(options.get(JobOptions.DEAD_LETTER_TOPIC),
                        d -> d.topic, JobJson::deadLetter)));
    }

    /**
     * Largest snapshot or metrics record: both carry a few numbers per domain, about 130 bytes of
     * JSON a domain in a metrics record, so 10,000 domains are 1.3 MB, past Kafka's 1 MB default.
     */
    public static final int LARGE_RECORD_BYTES = 32 * 1024 * 1024;

    private static <T> Sink<T> sink(JobOptions options, JsonRecordSerializer<T> serializer) {
        return atLeastOnceSink(options.get(JobOptions.BOOTSTRAP_SERVERS), options.kafkaProperties(), serializer);
    }

    /** An at-least-once Kafka sink with the given producer properties. */
    public static <T> Sink<T> atLeastOnceSink(String bootstrapServers, Properties producer, JsonRecordSerializer<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(serializer)
                .build();
    }

    /** Creates the snapshot, metrics and dead-letter topics that do not exist (one partition each; the first two take records up to {@link #LARGE_RECORD_BYTES}). */
    public static void createOutputTopics(JobOptions options) throws Exception {
        try (Admin admin = admin(options)) {
            TopicCreation.createMissing(admin, List.of(options.get(JobOptions.SNAPSHOT_TOPIC),
                    options.get(JobOptions.METRICS_TOPIC)), Map.of("max.message.bytes", String.valueOf(LARGE_RECORD_BYTES)));
            TopicCreation.createMissing(admin, List.of(options.get(JobOptions.DEAD_LETTER_TOPIC)));
        }
    }

    /** Fails before the job starts when its Kafka user lacks an ACL the job needs on an output topic. */
    public static void checkOutputTopicAccess(JobOptions options) throws Exception {
        try (Admin admin = admin(options)) {
            TopicAccess.check(admin, TopicAccess.required(options));
        }
    }

    private static Admin admin(JobOptions options) {
        Properties props = options.kafkaProperties();
        props.setProperty("bootstrap.servers", options.get(JobOptions.BOOTSTRAP_SERVERS));
        return Admin.create(props);
    }

    /** Keys batches of examples by their domain. */
    public static final class ByDomain implements KeySelector<ExampleBatch, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ExampleBatch b) {
            return b.domain;
        }
    }

    /** Keys everything of a run to the run's one trainer: its inputs, and the decoders' numbered batches. */
    public static final class ByRun<T> implements KeySelector<T, String> {
        private static final long serialVersionUID = 1L;
        private final String runId;

        public ByRun(String runId) {
            this.runId = runId;
        }

        @Override
        public String getKey(T in) {
            return runId;
        }
    }
}
