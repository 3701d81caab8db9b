package io.domainmix.job.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.JobJson;
import io.domainmix.job.RawRecord;
import io.domainmix.job.ScoringOptions;
import io.domainmix.testkit.Await;
import io.domainmix.testkit.InProcessKafka;
import io.domainmix.testkit.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scoring job on a MiniCluster against a real in-process broker. */
class ScoringITCase {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int D = 6;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static KafkaTopics kafka() {
        return InProcessKafka.shared().topics();
    }

    /** The topics of one test and the options that point the job at them. */
    private record Topics(String requests, String predictions, String deadLetters, String snapshots, String run) {
        static Topics fresh(String name, int requestPartitions) {
            Topics t = new Topics(KafkaTopics.unique(name + "-requests"), KafkaTopics.unique(name + "-predictions"),
                    KafkaTopics.unique(name + "-dead"), KafkaTopics.unique(name + "-snapshots"), KafkaTopics.unique(name));
            kafka().create(requestPartitions, t.requests);
            kafka().create(1, t.predictions, t.deadLetters, t.snapshots);
            return t;
        }

        ScoringOptions options(String... more) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-servers", InProcessKafka.shared().bootstrapServers(),
                    "--requests", requests, "--predictions-topic", predictions, "--dead-letter-topic", deadLetters,
                    "--snapshot-topic", snapshots, "--run-id", run, "--checkpoint-interval-ms", "500"));
            args.addAll(List.of(more));
            return ScoringOptions.parse(args.toArray(new String[0]));
        }
    }

    static ModelSnapshot snapshot(String run, long version, String type, long seed) {
        ModelSnapshot s = new ModelSnapshot();
        s.runId = run;
        s.version = version;
        s.step = version * 1000;
        s.modelType = type;
        s.labels = type.equals("logistic") ? "binary" : "real";
        s.dimension = D;
        s.intercept = true;
        SplitMix64 rng = new SplitMix64(seed);
        s.averagedTheta = new double[D + 1];
        s.theta = new double[D + 1];
        for (int i = 0; i <= D; i++) {
            s.averagedTheta[i] = 2 * rng.nextGaussian();
            s.theta[i] = 100 + i; // never served: θ̄ is
        }
        s.domains = new String[] {"d1"};
        s.timestamp = System.currentTimeMillis();
        return s;
    }

    static Model model(ModelSnapshot s) {
        return (s.modelType.equals("logistic") ? ModelSpec.logistic(D, true) : ModelSpec.linear(D, true)).create();
    }

    static RecordMetadata send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value) {
        try {
            return p.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Example request(SplitMix64 rng, String id, boolean labelled) {
        double[] x = new double[D];
        for (int i = 0; i < D; i++) {
            x[i] = rng.nextGaussian();
        }
        return new Example("holdout", x, labelled ? rng.nextGaussian() : Double.NaN, 1.0, id, Long.MIN_VALUE);
    }

    static byte[] encode(Example e, boolean binary) {
        if (binary) {
            return ExampleBinaryCodec.encode(e);
        }
        if (Double.isNaN(e.y)) {
            StringBuilder b = new StringBuilder("{\"id\": \"" + e.id + "\", \"x\": [");
            for (int i = 0; i < e.x.length; i++) {
                b.append(i == 0 ? "" : ", ").append(e.x[i]);
            }
            return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }
        return ExampleJsonCodec.encode(e);
    }

    static List<JsonNode> records(String topic) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka().readAll(topic)) {
            JsonNode n = JobJson.tree(r.value());
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("appendedAt", r.timestamp());
            out.add(n);
        }
        return out;
    }

    static JobClient start(ScoringOptions options, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        ScoringJob.buildKafka(env, options);
        return env.executeAsync(options.jobName());
    }

    /** Asserts that every prediction is its named version's Model.predict of its request, to 1e-12. */
    static void assertEachPredictionIsItsVersions(List<JsonNode> predictions, Map<String, Example> requests,
                                                  Map<Long, ModelSnapshot> versions) {
        for (JsonNode p : predictions) {
            Example q = requests.get(p.path("id").asText());
            ModelSnapshot s = versions.get(p.path("version").asLong());
            assertTrue(q != null && s != null, p.toString());
            double expected = model(s).predict(s.averagedTheta, q.x);
            assertEquals(expected, p.path("prediction").asDouble(), 1e-12, p.toString());
        }
    }

    @Test
    void scoresAHoldoutWithTheModelAndSwapsVersionsWithoutLosingARequest() throws Exception {
        Topics t = Topics.fresh("score", 2);
        Map<Long, ModelSnapshot> versions = new HashMap<>();
        Map<String, Example> requests = new HashMap<>();
        SplitMix64 rng = new SplitMix64(42);
        int holdout = 2000;
        try (KafkaProducer<byte[], byte[]> p = kafka().producer()) {
            versions.put(1L, snapshot(t.run, 1, "linear", 1));
            send(p, t.snapshots, t.run, SnapshotRecord.write(snapshot("another-run", 9, "linear", 9), false));
            send(p, t.snapshots, t.run, "{\"runId\": \"oops".getBytes(StandardCharsets.UTF_8));
            send(p, t.snapshots, t.run, SnapshotRecord.write(versions.get(1L), false));
            ModelSnapshot v1 = versions.get(1L);
            for (int i = 0; i < holdout; i++) {
                Example e = request(rng, "h-" + i, false);
                // labels of the model v1 describes, with noise of variance 0.25
                e.y = model(v1).predict(v1.averagedTheta, e.x) + 0.5 * rng.nextGaussian();
                requests.put(e.id, e);
                send(p, t.requests, null, encode(e, i % 2 == 1));
            }
            send(p, t.requests, "bad-1", "{\"x\": [1, 2".getBytes(StandardCharsets.UTF_8));
            send(p, t.requests, "bad-2", "{\"x\": [1, 2, 3], \"y\": 1}".getBytes(StandardCharsets.UTF_8));
        }

        JobClient job = start(t.options(), 2);
        try {
            Await.until("the holdout's predictions", WAIT, () -> kafka().endOffset(t.predictions) >= holdout);
            List<JsonNode> first = records(t.predictions);
            assertEquals(holdout, first.size());
            assertEquals(requests.keySet(), new java.util.HashSet<>(first.stream().map(n -> n.path("id").asText()).toList()));
            assertEachPredictionIsItsVersions(first, requests, versions);
            double squaredError = 0;
            for (JsonNode n : first) {
                assertEquals(1, n.path("version").asLong());
                assertEquals(t.run, n.path("runId").asText());
                assertEquals("averaged", n.path("modelSource").asText());
                assertEquals(requests.get(n.path("id").asText()).y, n.path("label").asDouble(), 0.0);
                squaredError += Math.pow(n.path("prediction").asDouble() - n.path("label").asDouble(), 2);
            }
            System.out.printf("holdout: %d predictions of version 1, mean squared error %.4f%n", holdout, squaredError / holdout);
            // the labels' noise variance is 0.25; the standard error of the mean at n = 2000 is 0.008
            assertEquals(0.25, squaredError / holdout, 0.05);
            Await.until("two dead letters", WAIT, () -> kafka().endOffset(t.deadLetters) >= 2);
            Map<String, String> reasons = new TreeMap<>();
            for (JsonNode d : records(t.deadLetters)) {
                reasons.put(d.path("key").asText(), d.path("reason").asText());
            }
            assertEquals(Map.of("bad-1", "NOT_JSON", "bad-2", "WRONG_DIMENSION"), reasons);

            // Hot swap under a steady request stream: versions 2 and 3 published while requests flow.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger streamed = new AtomicInteger();
            Map<String, Example> live = new java.util.concurrent.ConcurrentHashMap<>();
            Thread producer = new Thread(() -> {
                SplitMix64 r = new SplitMix64(7);
                try (KafkaProducer<byte[], byte[]> p = kafka().producer()) {
                    while (!stop.get()) {
                        int i = streamed.getAndIncrement();
                        Example e = request(r, "s-" + i, false);
                        live.put(e.id, e);
                        p.send(new ProducerRecord<>(t.requests, encode(e, i % 3 == 0)));
                        if (i % 20 == 0) {
                            p.flush();
                            Thread.sleep(10);
                        }
                    }
                    p.flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            Map<Long, Long> published = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> p = kafka().producer()) {
                for (long v = 2; v <= 3; v++) {
                    long before = streamed.get();
                    Await.until("requests flowing before version " + v, WAIT, () -> streamed.get() > before + 300);
                    versions.put(v, snapshot(t.run, v, "linear", v));
                    published.put(v, send(p, t.snapshots, t.run, SnapshotRecord.write(versions.get(v), false)).timestamp());
                    long version = v;
                    Await.until("a prediction of version " + v, WAIT, () -> records(t.predictions).stream()
                            .anyMatch(n -> n.path("version").asLong() == version));
                }
            }
            long after = streamed.get();
            Await.until("requests after the last swap", WAIT, () -> streamed.get() > after + 300);
            stop.set(true);
            producer.join(TimeUnit.MINUTES.toMillis(2));
            requests.putAll(live);
            int total = holdout + streamed.get();
            Await.until("every streamed request answered", WAIT, () -> kafka().endOffset(t.predictions) >= total);

            List<JsonNode> all = records(t.predictions);
            assertEquals(total, all.size(), "one prediction per request, none twice");
            assertEquals(requests.keySet(), new java.util.HashSet<>(all.stream().map(n -> n.path("id").asText()).toList()));
            assertEachPredictionIsItsVersions(all, requests, versions);
            // Within each request partition, in offset order, the versions never go down.
            Map<Integer, List<JsonNode>> byPartition = new TreeMap<>();
            for (JsonNode n : all) {
                byPartition.computeIfAbsent(n.path("partition").asInt(), k -> new ArrayList<>()).add(n);
            }
            for (List<JsonNode> part : byPartition.values()) {
                part.sort((a, b) -> Long.compare(a.path("offset").asLong(), b.path("offset").asLong()));
                for (int i = 1; i < part.size(); i++) {
                    assertTrue(part.get(i).path("version").asLong() >= part.get(i - 1).path("version").asLong(),
                            "version went down at " + part.get(i));
                }
            }
            // How long after a version's publication the job still scored requests with the older one.
            for (long v = 2; v <= 3; v++) {
                long version = v;
                long lastOlder = all.stream().filter(n -> n.path("version").asLong() < version)
                        .mapToLong(n -> n.path("requestTimestamp").asLong()).max().orElseThrow();
                long firstNew = all.stream().filter(n -> n.path("version").asLong() == version)
                        .mapToLong(n -> n.path("appendedAt").asLong()).min().orElseThrow();
                long lag = lastOlder - published.get(v);
                System.out.printf("version %d: published at +0 ms; last request scored with an older version appended at "
                        + "%+d ms; first prediction of version %d appended at %+d ms%n", v, lag, v, firstNew - published.get(v));
                // 1 s is the target; the bound is wide because a loaded test machine can stall any process for seconds
                assertTrue(lag < 10_000, "requests appended " + lag + " ms after version " + v + " still got an older one");
            }
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void waitHoldsRequestsUntilTheFirstSnapshotAndRejectsPastItsBound() throws Exception {
        Topics t = Topics.fresh("score-wait", 1);
        Map<String, Example> requests = new HashMap<>();
        SplitMix64 rng = new SplitMix64(5);
        JobClient job = start(t.options("--max-held-requests", "60"), 1);
        try (KafkaProducer<byte[], byte[]> p = kafka().producer()) {
            for (int i = 0; i < 100; i++) {
                Example e = request(rng, "w-" + i, false);
                requests.put(e.id, e);
                send(p, t.requests, null, encode(e, false));
            }
            Await.until("40 requests past the bound dead-lettered", WAIT, () -> kafka().endOffset(t.deadLetters) >= 40);
            assertEquals(0, kafka().endOffset(t.predictions), "nothing scored before a snapshot");
            ModelSnapshot v5 = snapshot(t.run, 5, "logistic", 5);
            send(p, t.snapshots, t.run, SnapshotRecord.write(v5, false));
            Await.until("the 60 held requests scored", WAIT, () -> kafka().endOffset(t.predictions) >= 60);
            List<JsonNode> predictions = records(t.predictions);
            assertEquals(60, predictions.size());
            assertEachPredictionIsItsVersions(predictions, requests, Map.of(5L, v5));
            for (JsonNode n : predictions) {
                double prob = n.path("prediction").asDouble();
                assertTrue(prob > 0 && prob < 1, "a probability: " + n);
                assertTrue(n.path("label").isMissingNode(), "no label on an unlabelled request");
            }
            List<JsonNode> letters = records(t.deadLetters);
            assertEquals(40, letters.size());
            assertTrue(letters.stream().allMatch(d -> d.path("reason").asText().equals("NO_MODEL")));
            java.util.Set<String> answered = new java.util.HashSet<>();
            predictions.forEach(n -> answered.add(n.path("id").asText()));
            letters.forEach(d -> answered.add(JobJson.tree(d.path("excerpt").asText().getBytes(StandardCharsets.UTF_8))
                    .path("id").asText()));
            assertEquals(requests.keySet(), answered, "every request scored or dead-lettered, once");
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void rejectDeadLettersRequestsUntilASnapshotArrives() throws Exception {
        Topics t = Topics.fresh("score-reject", 1);
        SplitMix64 rng = new SplitMix64(6);
        JobClient job = start(t.options("--startup", "reject"), 1);
        try (KafkaProducer<byte[], byte[]> p = kafka().producer()) {
            for (int i = 0; i < 30; i++) {
                send(p, t.requests, null, encode(request(rng, "r-" + i, false), true));
            }
            Await.until("30 requests rejected", WAIT, () -> kafka().endOffset(t.deadLetters) >= 30);
            ModelSnapshot v1 = snapshot(t.run, 1, "linear", 3);
            send(p, t.snapshots, t.run, SnapshotRecord.write(v1, false));
            Map<String, Example> later = new HashMap<>();
            // requests sent until one is scored: the snapshot may reach the job after the next few requests
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; kafka().endOffset(t.predictions) == 0; i++) {
                assertTrue(System.nanoTime() < deadline, "no prediction within " + WAIT.toSeconds() + " s of the snapshot");
                Example e = request(rng, "later-" + i, false);
                later.put(e.id, e);
                send(p, t.requests, null, encode(e, false));
                Thread.sleep(50);
            }
            List<JsonNode> letters = records(t.deadLetters);
            assertTrue(letters.stream().allMatch(d -> d.path("reason").asText().equals("NO_MODEL")));
            assertEachPredictionIsItsVersions(records(t.predictions), later, Map.of(1L, v1));
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }
}
