package io.domainmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.ScoringOptions;
import io.domainmix.job.score.ScoringJob;
import io.domainmix.testkit.KafkaBrokerProcess;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The scoring job under a steady request load: a real broker (a child process), one snapshot
 * of a linear model, and the scoring job on a local cluster in this JVM; requests are written at
 * a fixed rate for a warm-up and then for the measured period. Request and prediction topics
 * stamp records with the broker's append time, so the latency of a request is the prediction's
 * append time minus the request's, both from the broker's clock: what a service that writes a
 * request and waits for its prediction sees, minus its own producer and consumer.
 *
 * <p>Prints the offered and the scored rate, p50/p95/p99/max latency, and how many requests of
 * the measured period were not answered (must be 0). Options: {@code --rate R} requests/s
 * (10,000), {@code --seconds S} measured (60), {@code --warmup-seconds W} (20), {@code --dim d}
 * (20), {@code --partitions P} of the request topic (2), {@code --parallelism N} (2),
 * {@code --format json|binary} (json), {@code --bootstrap-servers host:port}, {@code --broker-heap 1g}.
 * Run it with {@code -Pthroughput -Dharness.args="--scoring ..."}.
 */
public final class ScoringHarness {
    private static final ObjectMapper JSON = new ObjectMapper();

    int rate = 10_000;
    int seconds = 60;
    int warmupSeconds = 20;
    int dimension = 20;
    int partitions = 2;
    int parallelism = 2;
    boolean binary;
    String bootstrapServers;
    String brokerHeap = "1g";

    public static void main(String[] args) throws Exception {
        ScoringHarness h = new ScoringHarness();
        h.parse(args);
        h.run();
        System.exit(0); // Flink's and Kafka's non-daemon threads must not keep the JVM alive
    }

    void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scoring" -> { }
                case "--rate" -> rate = Integer.parseInt(args[++i].replace("_", ""));
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--dim" -> dimension = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--format" -> binary = switch (args[++i]) {
                    case "json" -> false;
                    case "binary" -> true;
                    default -> throw new IllegalArgumentException("--format: allowed json, binary");
                };
                case "--bootstrap-servers" -> bootstrapServers = args[++i];
                case "--broker-heap" -> brokerHeap = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class documentation");
            }
        }
    }

    void run() throws Exception {
        System.out.printf(Locale.ROOT, "domainmix scoring harness: %,d requests/s (%s), d = %d, %d s measured after %d s warm-up, "
                + "%d request partitions, job parallelism %d%n", rate, binary ? "binary" : "JSON", dimension, seconds,
                warmupSeconds, partitions, parallelism);
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path dataDir = Files.createTempDirectory("domainmix-scoring-kafka");
        KafkaBrokerProcess child = null;
        JobClient job = null;
        try {
            if (bootstrapServers == null) {
                child = KafkaBrokerProcess.start(dataDir, System.getProperty("java.class.path"), null, brokerHeap);
                bootstrapServers = child.bootstrapServers();
            }
            String name = "scoring-bench-" + UUID.randomUUID().toString().substring(0, 8);
            String requests = name + "-requests";
            String predictions = name + "-predictions";
            String snapshots = name + "-snapshots";
            try (Admin admin = Admin.create(client())) {
                Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
                admin.createTopics(List.of(
                        new NewTopic(requests, partitions, (short) 1).configs(appendTime),
                        new NewTopic(predictions, partitions, (short) 1).configs(appendTime),
                        new NewTopic(snapshots, 1, (short) 1),
                        new NewTopic(name + "-dead-letters", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            ModelSnapshot model = snapshot(name);
            try (KafkaProducer<byte[], byte[]> p = producer()) {
                p.send(new ProducerRecord<>(snapshots, SnapshotRecord.write(model, false))).get(60, TimeUnit.SECONDS);
            }

            ScoringOptions options = ScoringOptions.parse("--bootstrap-servers", bootstrapServers, "--requests", requests,
                    "--predictions-topic", predictions, "--dead-letter-topic", name + "-dead-letters",
                    "--snapshot-topic", snapshots, "--run-id", name, "--checkpoint-interval-ms", "10000",
                    "--parallelism", String.valueOf(parallelism));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
            ScoringJob.buildKafka(env, options);
            job = env.executeAsync(options.jobName());

            Example[] pool = BenchmarkData.pool("linear-noise", dimension, ThroughputHarness.POOL);
            try (KafkaProducer<byte[], byte[]> p = producer()) {
                send(p, requests, pool, "w-", warmupSeconds);
                Map<TopicPartition, Long> start = endOffsets(predictions);
                long t0 = System.nanoTime();
                long sent = send(p, requests, pool, "m-", seconds);
                double offered = sent / ((System.nanoTime() - t0) / 1e9);
                List<long[]> answered = readMeasured(predictions, start, sent);
                report(sent, offered, answered);
            }
        } finally {
            if (job != null) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            if (child != null) {
                child.close();
            }
        }
    }

    private ModelSnapshot snapshot(String run) {
        ModelSnapshot s = new ModelSnapshot();
        s.runId = run;
        s.version = 1;
        s.modelType = "linear";
        s.labels = "real";
        s.dimension = dimension;
        s.intercept = true;
        SplitMix64 rng = new SplitMix64(ThroughputHarness.SEED);
        s.averagedTheta = new double[dimension + 1];
        for (int i = 0; i <= dimension; i++) {
            s.averagedTheta[i] = rng.nextGaussian();
        }
        s.theta = s.averagedTheta.clone();
        return s;
    }

    /** Writes requests at the configured rate for {@code secs} seconds; returns how many. */
    private long send(KafkaProducer<byte[], byte[]> p, String topic, Example[] pool, String idPrefix, int secs) {
        long n = (long) rate * secs;
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            long due = t0 + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 200_000) {
                LockSupport.parkNanos(wait);
            }
            Example e = pool[(int) (i % pool.length)];
            Example q = new Example(e.domain, e.x, Double.NaN, 1.0, idPrefix + i, Long.MIN_VALUE);
            p.send(new ProducerRecord<>(topic, binary ? ExampleBinaryCodec.encode(q) : json(q)));
        }
        p.flush();
        return n;
    }

    private static byte[] json(Example q) {
        StringBuilder b = new StringBuilder(32 + 24 * q.x.length).append("{\"id\":\"").append(q.id).append("\",\"x\":[");
        for (int i = 0; i < q.x.length; i++) {
            b.append(i == 0 ? "" : ",").append(q.x[i]);
        }
        return b.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** [request append ms, prediction append ms] of each measured request's first prediction. */
    private List<long[]> readMeasured(String topic, Map<TopicPartition, Long> start, long expected) throws Exception {
        Map<String, long[]> byId = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, seconds * 2L));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(start.keySet());
            start.forEach(c::seek);
            while (byId.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode n = JSON.readTree(r.value());
                    String id = n.path("id").asText();
                    if (id.startsWith("m-")) {
                        byId.putIfAbsent(id, new long[] {n.path("requestTimestamp").asLong(), r.timestamp()});
                    }
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private void report(long sent, double offered, List<long[]> answered) {
        long[] latency = answered.stream().mapToLong(a -> a[1] - a[0]).sorted().toArray();
        long first = answered.stream().mapToLong(a -> a[1]).min().orElse(0);
        long last = answered.stream().mapToLong(a -> a[1]).max().orElse(0);
        double scored = answered.size() / Math.max(1e-3, (last - first) / 1000.0);
        System.out.printf(Locale.ROOT, "offered %,.0f requests/s; scored %,d of %,d (%,d unanswered) at %,.0f predictions/s%n",
                offered, answered.size(), sent, sent - answered.size(), scored);
        System.out.printf(Locale.ROOT, "latency, request append to prediction append: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                quantile(latency, 0.50), quantile(latency, 0.95), quantile(latency, 0.99),
                latency.length == 0 ? -1 : latency[latency.length - 1]);
        System.out.println("latency by fifth of the measured requests (p50/p99 ms): " + byFifth(answered));
    }

    private static String byFifth(List<long[]> answered) {
        List<long[]> ordered = new ArrayList<>(answered);
        ordered.sort((a, b) -> Long.compare(a[0], b[0]));
        StringBuilder out = new StringBuilder();
        for (int f = 0; f < 5; f++) {
            long[] part = ordered.subList(f * ordered.size() / 5, (f + 1) * ordered.size() / 5).stream()
                    .mapToLong(a -> a[1] - a[0]).sorted().toArray();
            out.append(f == 0 ? "" : ", ").append(quantile(part, 0.5)).append('/').append(quantile(part, 0.99));
        }
        return out.toString();
    }

    private static long quantile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    private Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            return new HashMap<>(c.endOffsets(parts));
        }
    }

    private Properties client() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = client();
        p.setProperty("linger.ms", "2");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
