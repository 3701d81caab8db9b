package io.domainmix.job.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.JobJson;
import io.domainmix.job.JobOptions;
import io.domainmix.job.RawRecord;
import io.domainmix.job.ScoringOptions;
import io.domainmix.testkit.Await;
import io.domainmix.testkit.InProcessKafka;
import io.domainmix.testkit.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two failures while scoring: one while requests are held for the first snapshot (they must
 * come back from the checkpoint), one after the model arrived (it must come back from broadcast
 * state: the snapshot source's restored offset is past the snapshot). Every request is answered.
 */
class ScoringRecoveryITCase {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final AtomicInteger FAILURES = new AtomicInteger();
    static final AtomicInteger CHECKPOINTS = new AtomicInteger();

    /** Throws at request offset 600 (first attempt) and at 1200 (second attempt). */
    static final class FailAtOffsets implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
        @Override
        public RawRecord map(RawRecord r) {
            if ((r.offset == 600 && FAILURES.get() == 0) || (r.offset == 1200 && FAILURES.get() == 1)) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure at request offset " + r.offset);
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }

    private static KafkaTopics kafka() {
        return InProcessKafka.shared().topics();
    }

    private static void awaitCheckpoints(int more) {
        int target = CHECKPOINTS.get() + more;
        Await.until(more + " more checkpoints", WAIT, () -> CHECKPOINTS.get() >= target);
    }

    @Test
    void heldRequestsAndTheServedModelSurviveFailures() throws Exception {
        String name = KafkaTopics.unique("recover");
        String requests = name + "-requests";
        String predictions = name + "-predictions";
        String deadLetters = name + "-dead";
        String snapshots = name + "-snapshots";
        kafka().create(1, requests, predictions, deadLetters, snapshots);
        ScoringOptions options = ScoringOptions.parse("--bootstrap-servers", InProcessKafka.shared().bootstrapServers(),
                "--requests", requests, "--predictions-topic", predictions, "--dead-letter-topic", deadLetters,
                "--snapshot-topic", snapshots, "--run-id", name, "--checkpoint-interval-ms", "300");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(conf);
        env.enableCheckpointing(options.get(JobOptions.CHECKPOINT_INTERVAL_MS));
        DataStream<RawRecord> failing = ScoringJob.kafkaRequests(env, options).map(new FailAtOffsets()).name("fail twice");
        ScoringJob.build(options, failing, ScoringJob.kafkaSnapshots(env, options), ScoringJob.kafkaSinks(options));
        JobClient job = env.executeAsync(options.jobName());

        Map<String, Example> sent = new HashMap<>();
        SplitMix64 rng = new SplitMix64(99);
        ModelSnapshot v1 = ScoringITCase.snapshot(name, 1, "linear", 11);
        try (KafkaProducer<byte[], byte[]> p = kafka().producer()) {
            sendRequests(p, requests, rng, sent, 0, 500);
            awaitCheckpoints(4); // the 500 held requests are in a completed checkpoint
            sendRequests(p, requests, rng, sent, 500, 700); // the first failure at offset 600
            Await.until("the first failure", WAIT, () -> FAILURES.get() >= 1);
            awaitCheckpoints(3);
            ScoringITCase.send(p, snapshots, name, SnapshotRecord.write(v1, false));
            Await.until("700 requests answered", WAIT, () -> distinctIds(predictions) >= 700);
            awaitCheckpoints(4); // the model is in a completed checkpoint's broadcast state
            sendRequests(p, requests, rng, sent, 700, 1300); // the second failure at offset 1200
            Await.until("1300 requests answered", WAIT, () -> distinctIds(predictions) >= 1300);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertEquals(2, FAILURES.get(), "both failures injected");
        List<JsonNode> all = ScoringITCase.records(predictions);
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode n : all) {
            JsonNode earlier = byId.putIfAbsent(n.path("id").asText(), n);
            if (earlier != null) {
                assertEquals(earlier.path("prediction").asDouble(), n.path("prediction").asDouble(), 0.0,
                        "a request scored again after a restart gets the same answer");
            }
        }
        assertEquals(sent.keySet(), byId.keySet(), "every request answered");
        ScoringITCase.assertEachPredictionIsItsVersions(all, sent, Map.of(1L, v1));
        assertEquals(0, kafka().endOffset(deadLetters));
        System.out.printf("recovery: %d requests, %d predictions (%d repeated after the restarts), 2 failures%n",
                sent.size(), all.size(), all.size() - sent.size());
    }

    private static void sendRequests(KafkaProducer<byte[], byte[]> p, String topic, SplitMix64 rng,
                                     Map<String, Example> sent, int from, int to) {
        for (int i = from; i < to; i++) {
            Example e = ScoringITCase.request(rng, "q-" + i, false);
            sent.put(e.id, e);
            ScoringITCase.send(p, topic, null, ScoringITCase.encode(e, i % 2 == 0));
        }
    }

    private static long distinctIds(String topic) {
        return kafka().readAll(topic).stream()
                .map(ConsumerRecord::key)
                .map(k -> new String(k, StandardCharsets.UTF_8))
                .distinct().count();
    }
}
