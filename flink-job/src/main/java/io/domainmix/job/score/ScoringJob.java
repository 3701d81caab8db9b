package io.domainmix.job.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.serve.ModelSource;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.DeadLetter;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobJson;
import io.domainmix.job.JobOptions;
import io.domainmix.job.JsonRecordSerializer;
import io.domainmix.job.RawRecord;
import io.domainmix.job.RawRecordDeserializer;
import io.domainmix.job.ScoringOptions;
import io.domainmix.job.TopicCreation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.DetachedJobExecutionResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * The scoring job: requests in, one prediction per request out, from the newest snapshot of a
 * training run.
 *
 * <pre>
 * request topics ─▶ decode + check ─┬─▶ refused ─────────────────────┐
 *                                   ▼                                ▼
 *                 score (broadcast state: the newest snapshot) ─▶ dead-letter topic
 *                                   ▼              ▲
 *                          predictions topic       │ snapshots of the run (snapshot topic, from the beginning)
 * </pre>
 *
 * State (the served snapshot, requests held before the first one, source offsets) is
 * checkpointed exactly once; the outputs are at-least-once, each prediction naming the version
 * that computed it. {@link #build} takes any sources and sinks; {@link #main} plugs in Kafka.
 */
public final class ScoringJob {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The job's two outputs. */
    public record Sinks(Sink<Prediction> predictions, Sink<DeadLetter> deadLetters) {}

    private ScoringJob() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println("domainmix scoring job: flink run -c " + ScoringJob.class.getName() + " <jar> [options]\n\n"
                    + ScoringOptions.usage());
            return;
        }
        ScoringOptions options = ScoringOptions.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildKafka(env, options);
        JobExecutionResult result = env.execute(options.jobName());
        if (!(result instanceof DetachedJobExecutionResult)) {
            System.out.println("job " + options.jobName() + " finished in " + result.getNetRuntime(TimeUnit.MILLISECONDS) + " ms");
        }
    }

    /** Checkpointing, the Kafka sources and sinks (creating the output topics when asked), and the operators. */
    public static SingleOutputStreamOperator<Prediction> buildKafka(StreamExecutionEnvironment env, ScoringOptions options)
            throws Exception {
        if (options.get(ScoringOptions.CREATE_TOPICS)) {
            try (Admin admin = Admin.create(connection(options))) {
                TopicCreation.createMissing(admin,
                        List.of(options.get(ScoringOptions.PREDICTIONS_TOPIC), options.get(ScoringOptions.DEAD_LETTER_TOPIC)));
            }
        }
        env.enableCheckpointing(options.get(JobOptions.CHECKPOINT_INTERVAL_MS));
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        return build(options, kafkaRequests(env, options), kafkaSnapshots(env, options), kafkaSinks(options));
    }

    /**
     * Wires decoding and scoring between the given inputs and sinks.
     *
     * @param requests raw request records
     * @param snapshots raw records of the snapshot topic (any runs; the options' run is picked out)
     */
    public static SingleOutputStreamOperator<Prediction> build(ScoringOptions options, DataStream<RawRecord> requests,
                                                               DataStream<RawRecord> snapshots, Sinks sinks) {
        String runId = options.get(ScoringOptions.RUN_ID);
        ModelSource source = options.get(ScoringOptions.MODEL_SOURCE);
        SingleOutputStreamOperator<ScoreRequest> parsed = requests
                .process(new ParseRequestsFunction(options.requestSchema(), runId))
                .name("decode requests").uid("decode-requests")
                .setParallelism(requests.getParallelism());
        SingleOutputStreamOperator<ModelSnapshot> runSnapshots = snapshots
                .process(new RunSnapshotsFunction(runId, source))
                .name("snapshots of " + runId).uid("run-snapshots")
                .setParallelism(snapshots.getParallelism());
        SingleOutputStreamOperator<Prediction> predictions = parsed
                .connect(runSnapshots.broadcast(ScoringFunction.MODEL_STATE))
                .process(new ScoringFunction(runId, source, options.get(ScoringOptions.STARTUP),
                        options.get(ScoringOptions.MAX_HELD_REQUESTS)))
                .name("score").uid("score")
                .setParallelism(parsed.getParallelism());
        predictions.sinkTo(sinks.predictions()).name("prediction sink").uid("prediction-sink")
                .setParallelism(parsed.getParallelism());
        parsed.getSideOutput(ParseRequestsFunction.REJECTED)
                .union(predictions.getSideOutput(ScoringFunction.REJECTED))
                .sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("scoring-dead-letter-sink");
        return predictions;
    }

    /** The request topics, from the configured start offsets (a restored job continues from its checkpoint). */
    public static DataStream<RawRecord> kafkaRequests(StreamExecutionEnvironment env, ScoringOptions options) {
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(options.get(JobOptions.BOOTSTRAP_SERVERS))
                .setProperties(options.kafkaProperties())
                .setGroupId(options.groupId())
                .setClientIdPrefix("domainmix-score-" + options.get(ScoringOptions.RUN_ID))
                .setTopics(options.get(ScoringOptions.REQUESTS))
                .setDeserializer(new RawRecordDeserializer());
        b.setStartingOffsets(options.get(JobOptions.START_OFFSETS).initializer());
        SingleOutputStreamOperator<RawRecord> records = env
                .fromSource(b.build(), WatermarkStrategy.noWatermarks(), "requests").uid("request-source");
        if (options.get(ScoringOptions.PARALLELISM) > 0) {
            records.setParallelism(options.get(ScoringOptions.PARALLELISM));
        }
        return records;
    }

    /** The whole snapshot topic from its beginning, then following it (one reader). */
    public static DataStream<RawRecord> kafkaSnapshots(StreamExecutionEnvironment env, ScoringOptions options) {
        KafkaSource<RawRecord> source = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(options.get(JobOptions.BOOTSTRAP_SERVERS))
                .setProperties(options.kafkaProperties())
                .setGroupId(options.groupId() + "-snapshots")
                .setClientIdPrefix("domainmix-score-" + options.get(ScoringOptions.RUN_ID) + "-snapshots")
                .setTopics(options.get(ScoringOptions.SNAPSHOT_TOPIC))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializer())
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "snapshots")
                .setParallelism(1).uid("snapshot-source");
    }

    /** Predictions keyed by the request id, and dead letters keyed by the request topic. */
    public static Sinks kafkaSinks(ScoringOptions options) {
        String servers = options.get(JobOptions.BOOTSTRAP_SERVERS);
        return new Sinks(
                DomainMixJob.atLeastOnceSink(servers, options.kafkaProperties(), new JsonRecordSerializer<Prediction>(
                        options.get(ScoringOptions.PREDICTIONS_TOPIC), p -> p.id, ScoringJob::json)),
                DomainMixJob.atLeastOnceSink(servers, options.kafkaProperties(), new JsonRecordSerializer<DeadLetter>(
                        options.get(ScoringOptions.DEAD_LETTER_TOPIC), d -> d.topic, JobJson::deadLetter)));
    }

    private static Properties connection(ScoringOptions options) {
        Properties props = options.kafkaProperties();
        props.setProperty("bootstrap.servers", options.get(JobOptions.BOOTSTRAP_SERVERS));
        return props;
    }

    /** A prediction record: {@code label} only when the request had one. */
    public static byte[] json(Prediction p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", p.id);
        n.put("prediction", p.prediction);
        n.put("runId", p.runId);
        n.put("version", p.version);
        n.put("modelSource", p.modelSource);
        if (!Double.isNaN(p.label)) {
            n.put("label", p.label);
        }
        n.put("topic", p.topic);
        n.put("partition", p.partition);
        n.put("offset", p.offset);
        n.put("requestTimestamp", p.requestTimestamp);
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
