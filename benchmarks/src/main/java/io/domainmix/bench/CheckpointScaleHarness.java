package io.domainmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.Experiment;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobJson;
import io.domainmix.job.JobOptions;
import io.domainmix.job.PublishedSnapshot;
import io.domainmix.job.local.CheckpointSchedule;
import io.domainmix.producers.DomainPlan;
import io.domainmix.producers.SyntheticPlan;
import io.domainmix.testkit.KafkaBrokerProcess;
import io.domainmix.testkit.KafkaTopics;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What checkpoints cost as the number of domains K and the dimension d grow, per state backend:
 * for every (d, K, backend), K synthetic domains (label noise in six levels from 0.5 to 20,
 * {@link SyntheticPlan#ofNoiseLevels}) in one shared topic, and the job live on a local cluster
 * for a fixed time with a checkpoint every interval. Recorded per run: checkpoints completed and
 * failed, the last completed checkpoint's size and duration (Flink's REST API), examples per
 * second, the heap after collections, and the Spearman correlation of the loss weights λ with
 * 1/σ² over the domains. A run that fails, or completes no checkpoint, is a row like any other.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests -Pcheckpoint-scale [-Dscale.args="--domains 2,100 --dims 20"]
 * </pre>
 *
 * Options: {@code --domains 2,100,1000,10000}, {@code --dims 20,200}, {@code --backends hashmap,rocksdb},
 * {@code --examples N} (per configuration, at least 20 per domain; default 100,000),
 * {@code --seconds S} (live time per run, default 60), {@code --checkpoint-interval-ms} (2000),
 * {@code --partitions} (of the shared topic, 4), {@code --out FILE} (the table, Markdown),
 * {@code --job-option name=value} (repeatable).
 */
public final class CheckpointScaleHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20_261_130L;

    private List<Integer> domainCounts = List.of(2, 100, 1000, 10_000);
    private List<Integer> dims = List.of(20, 200);
    private List<String> backends = List.of("hashmap", "rocksdb");
    private long examples = 100_000;
    private int seconds = 60;
    private long checkpointIntervalMs = 2000;
    private int partitions = 4;
    private Path out = Path.of("target", "checkpoint-scale.md");
    private final List<String> extraJobOptions = new ArrayList<>();
    private String bootstrapServers;
    private String evaluateTopic;
    private String jobHeap = "4g";
    /** {@code d,K,backend,topic,examples}: run one job in this JVM and print its row (the child's task). */
    private String runOne;
    private Path truthFile;

    /** One row of the table. */
    record Row(int dim, int domains, String backend, long examples, String outcome, long completed, long failed,
               long lastSizeBytes, long lastDurationMs, long maxDurationMs, double rate, long heapAfterGcMb,
               int domainsInSnapshot, double spearman) {}

    public static void main(String[] args) throws Exception {
        CheckpointScaleHarness h = new CheckpointScaleHarness();
        h.parse(args);
        if (h.evaluateTopic != null) {
            h.evaluate();
        } else if (h.runOne != null) {
            String[] f = h.runOne.split(",");
            SyntheticPlan plan = plan(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[4]));
            Row row = h.runJob(plan, f[3], plan.totalCount(), f[2]);
            System.out.println(ROW + JSON.writeValueAsString(row));
        } else {
            h.run();
        }
        System.exit(0); // Flink's and Kafka's non-daemon threads must not keep the JVM alive
    }

    void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--domains" -> domainCounts = ints(args[++i]);
                case "--dims" -> dims = ints(args[++i]);
                case "--backends" -> backends = List.of(args[++i].split(","));
                case "--examples" -> examples = Long.parseLong(args[++i].replace("_", ""));
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--checkpoint-interval-ms" -> checkpointIntervalMs = Long.parseLong(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--bootstrap-servers" -> bootstrapServers = args[++i];
                case "--evaluate" -> evaluateTopic = args[++i];
                case "--job-heap" -> jobHeap = args[++i];
                case "--run-one" -> runOne = args[++i];
                case "--truth" -> truthFile = Path.of(args[++i]);
                case "--job-option" -> {
                    String[] kv = args[++i].split("=", 2);
                    extraJobOptions.add("--" + kv[0]);
                    extraJobOptions.add(kv.length > 1 ? kv[1] : "true");
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; allowed: --domains, --dims, --backends, --examples, --seconds, --checkpoint-interval-ms, "
                        + "--partitions, --out, --bootstrap-servers, --job-option");
            }
        }
    }

    private static List<Integer> ints(String s) {
        return Arrays.stream(s.split(",")).map(v -> Integer.parseInt(v.trim().replace("_", ""))).toList();
    }

    void run() throws Exception {
        System.out.printf(Locale.ROOT, "domainmix checkpoint-scale harness: K = %s, d = %s, backends %s, %,d examples per "
                        + "configuration, %d s live per run, checkpoint every %d ms; %d cores, max heap %d MB%n",
                domainCounts, dims, backends, examples, seconds, checkpointIntervalMs,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        KafkaBrokerProcess broker = null;
        Path brokerDir = Files.createTempDirectory("domainmix-scale-kafka");
        List<Row> rows = new ArrayList<>();
        try {
            if (bootstrapServers == null) {
                broker = KafkaBrokerProcess.start(brokerDir, System.getProperty("java.class.path"), null, "1g");
                bootstrapServers = broker.bootstrapServers();
            }
            // smallest state first: a run that exhausts its heap ends only its own JVM, but later
            // rows should not wait behind it
            List<int[]> configurations = new ArrayList<>();
            for (int d : dims) {
                for (int k : domainCounts) {
                    configurations.add(new int[] {d, k});
                }
            }
            configurations.sort(java.util.Comparator.comparingLong(c -> (long) c[0] * c[1]));
            for (int[] c : configurations) {
                SyntheticPlan plan = plan(c[0], c[1], examples);
                String topic = "scale-d" + c[0] + "-k" + c[1] + "-" + UUID.randomUUID().toString().substring(0, 6);
                long produced = produce(plan, topic);
                for (String backend : backends) {
                    Row row = runInChild(plan, topic, produced, backend);
                    rows.add(row);
                    System.out.println(line(row));
                    write(rows);
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        System.out.println("table: " + out.toAbsolutePath());
    }

    /**
     * A finished run judged against its ground truth ({@code --evaluate SNAPSHOT_TOPIC --truth FILE
     * --bootstrap-servers ...}, the truth file of {@code produce synthetic}): the domains in its
     * newest snapshot, and the Spearman correlation of their λ with 1/σ².
     */
    void evaluate() throws Exception {
        if (truthFile == null || bootstrapServers == null) {
            throw new IllegalArgumentException("--evaluate needs --truth FILE and --bootstrap-servers");
        }
        Map<String, Double> noise = new HashMap<>();
        for (JsonNode d : JSON.readTree(truthFile.toFile()).path("domains")) {
            noise.put(d.path("name").asText(), d.path("noise").asDouble());
        }
        PublishedSnapshot last = lastSnapshot(evaluateTopic);
        if (last == null) {
            throw new IllegalStateException("no snapshot in " + evaluateTopic);
        }
        System.out.printf(Locale.ROOT, "%s: snapshot %d%s, %,d examples seen, %,d domains (%,d in the truth); "
                        + "Spearman of λ with 1/σ²: %.3f%n", evaluateTopic, last.snapshot.version, last.last ? " (final)" : "",
                last.snapshot.examplesSeen, last.snapshot.domains.length, noise.size(), spearmanWithInverseNoise(last, noise));
    }

    private static final String ROW = "checkpoint-scale row: ";

    static SyntheticPlan plan(int d, int k, long examples) {
        return SyntheticPlan.ofNoiseLevels("scale", ModelType.LINEAR, d, SEED, k, 0, Math.max(20, examples / k));
    }

    /**
     * One run in its own JVM ({@code --job-heap}), so that the heap measured is the job's alone,
     * and a run that exhausts it is recorded as such instead of ending the harness.
     */
    private Row runInChild(SyntheticPlan plan, String topic, long produced, String backend) throws Exception {
        int d = plan.dimension();
        int k = plan.domains().size();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + jobHeap, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                CheckpointScaleHarness.class.getName(), "--bootstrap-servers", bootstrapServers,
                "--seconds", String.valueOf(seconds), "--checkpoint-interval-ms", String.valueOf(checkpointIntervalMs),
                "--run-one", d + "," + k + "," + backend + "," + topic + "," + examples));
        for (int i = 0; i < extraJobOptions.size(); i += 2) {
            cmd.add("--job-option");
            cmd.add(extraJobOptions.get(i).substring(2) + "=" + extraJobOptions.get(i + 1));
        }
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Row row = null;
        String lastLine = "";
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith(ROW)) {
                    row = JSON.readValue(l.substring(ROW.length()), Row.class);
                } else if (!l.isBlank()) {
                    lastLine = l;
                }
            }
        }
        int code = child.waitFor();
        if (row != null) {
            return row;
        }
        String why = lastLine.contains("OutOfMemoryError") || code == 3
                ? "out of memory with -Xmx" + jobHeap : "job JVM exited with code " + code + ": " + lastLine;
        return new Row(d, k, backend, produced, why.replace('|', '/'), 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN);
    }

    /** The plan's examples, binary-encoded and without keys, into one topic; returns how many. */
    private long produce(SyntheticPlan plan, String topic) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Properties p = clientProperties();
        p.setProperty("linger.ms", "20");
        p.setProperty("batch.size", String.valueOf(512 * 1024));
        p.setProperty("delivery.timeout.ms", String.valueOf(TimeUnit.MINUTES.toMillis(10)));
        long total = plan.totalCount();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        Experiment ex = plan.experiment();
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(SEED), SEED);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < total; i++) {
                Example e = arrivals.next();
                producer.send(new ProducerRecord<>(topic, null, ExampleBinaryCodec.encode(e)), (m, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records to " + topic + " were not written");
        }
        System.out.printf(Locale.ROOT, "produced %,d examples of %,d domains at d = %d into %s in %.1f s%n", total,
                plan.domains().size(), plan.dimension(), topic, (System.nanoTime() - t0) / 1e9);
        return total;
    }

    private Row runJob(SyntheticPlan plan, String topic, long produced, String backend) throws Exception {
        int k = plan.domains().size();
        int d = plan.dimension();
        String runId = "scale-d" + d + "-k" + k + "-" + backend + "-" + UUID.randomUUID().toString().substring(0, 6);
        Path checkpoints = Files.createTempDirectory("domainmix-scale-checkpoints");
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers, "--topics", topic,
                "--run-id", runId, "--snapshot-topic", runId + "-snapshots", "--metrics-topic", runId + "-metrics",
                "--dead-letter-topic", runId + "-dead-letters", "--dim", String.valueOf(d),
                "--state-backend", backend, "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval-ms", String.valueOf(checkpointIntervalMs), "--statistics-parallelism", "2"));
        args.addAll(extraJobOptions);
        JobOptions options = JobOptions.parse(args.toArray(String[]::new));
        int port = freePort();
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, port);
        // a failure is a result here, not something to recover from
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        CheckpointSchedule.freshRestAnswers(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        DomainMixJob.buildKafka(env, options);
        // checkpoints as `domainmix train` takes them: triggered once every task runs (CheckpointSchedule)
        CheckpointSchedule.handOver(env);
        System.gc();
        HeapMonitor heap = new HeapMonitor(0);
        String outcome = "ran " + seconds + " s";
        JsonNode stats = null;
        long t0 = System.currentTimeMillis();
        JobClient job = null;
        CheckpointSchedule schedule = null;
        try {
            job = env.executeAsync(options.jobName());
            schedule = new CheckpointSchedule(URI.create("http://127.0.0.1:" + port + "/"), job.getJobID().toString(),
                    Duration.ofMillis(checkpointIntervalMs)).start();
            URI rest = URI.create("http://127.0.0.1:" + port + "/jobs/" + job.getJobID() + "/checkpoints");
            long end = t0 + seconds * 1000L;
            while (System.currentTimeMillis() < end && !job.getJobStatus().get().isGloballyTerminalState()) {
                Thread.sleep(1000);
                JsonNode s = get(rest);
                stats = s != null ? s : stats;
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                outcome = "job " + job.getJobStatus().get().name().toLowerCase(Locale.ROOT) + ": " + failureOf(job);
            } else {
                job.cancel().get(2, TimeUnit.MINUTES);
            }
        } catch (Exception | OutOfMemoryError e) {
            outcome = "failed: " + rootMessage(e);
            if (job != null) {
                try {
                    job.cancel().get(2, TimeUnit.MINUTES);
                } catch (Exception ignored) {
                    // already ended
                }
            }
        } finally {
            heap.close();
            if (schedule != null) {
                schedule.close();
            }
        }
        double rate = rate(runId + "-metrics");
        String reasons = failureReasons(stats);
        if (!reasons.isEmpty()) {
            outcome += "; failed checkpoints: " + reasons;
        }
        PublishedSnapshot last = lastSnapshot(runId + "-snapshots");
        Map<String, Double> noise = new HashMap<>();
        for (DomainPlan p : plan.domains()) {
            noise.put(p.name(), p.spec().noiseVariance());
        }
        JsonNode counts = stats == null ? JSON.createObjectNode() : stats.path("counts");
        JsonNode completed = stats == null ? JSON.createObjectNode() : stats.path("latest").path("completed");
        return new Row(d, k, backend, produced, outcome, counts.path("completed").asLong(), counts.path("failed").asLong(),
                completed.path("checkpointed_size").asLong(), completed.path("end_to_end_duration").asLong(),
                stats == null ? 0 : stats.path("summary").path("end_to_end_duration").path("max").asLong(), rate,
                heap.peakAfterGc() >> 20, last == null ? 0 : last.snapshot.domains.length,
                last == null ? Double.NaN : spearmanWithInverseNoise(last, noise));
    }

    /**
     * Examples per second at the trainer, from its first metrics record to the one that saw the
     * most (the job's start-up, tens of seconds on a busy machine, left out).
     */
    private double rate(String metricsTopic) {
        long firstSeen = -1;
        long firstAt = 0;
        long seen = 0;
        long at = 0;
        for (ConsumerRecord<byte[], byte[]> r : readAll(metricsTopic)) {
            JsonNode m = JobJson.tree(r.value());
            long n = m == null ? 0 : m.path("examplesSeen").asLong();
            if (n > 0 && (firstSeen < 0 || r.timestamp() < firstAt)) {
                firstSeen = n;
                firstAt = r.timestamp();
            }
            if (n > seen) {
                seen = n;
                at = r.timestamp();
            }
        }
        return at > firstAt ? (seen - firstSeen) / ((at - firstAt) / 1000.0) : 0;
    }

    /** The distinct reasons of the failed checkpoints still in the statistics' history. */
    private static String failureReasons(JsonNode stats) {
        java.util.Set<String> reasons = new java.util.TreeSet<>();
        if (stats != null) {
            for (JsonNode h : stats.path("history")) {
                if ("FAILED".equals(h.path("status").asText())) {
                    String m = h.path("failure_message").asText("no reason given");
                    int nl = m.indexOf('\n');
                    reasons.add((nl < 0 ? m : m.substring(0, nl)).replace('|', '/'));
                }
            }
        }
        return String.join("; ", reasons);
    }

    private PublishedSnapshot lastSnapshot(String topic) {
        PublishedSnapshot last = null;
        for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
            PublishedSnapshot p = JobJson.readSnapshot(r.value());
            if (p != null && (last == null || p.snapshot.version > last.snapshot.version)) {
                last = p;
            }
        }
        return last;
    }

    /** Spearman's ρ between the snapshot's loss weights and 1/σ² of the same domains (ties get their mean rank). */
    static double spearmanWithInverseNoise(PublishedSnapshot s, Map<String, Double> noise) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < s.snapshot.domains.length; i++) {
            Double sigma2 = noise.get(s.snapshot.domains[i]);
            if (sigma2 != null) {
                pairs.add(new double[] {s.snapshot.lossWeight[i], 1.0 / sigma2});
            }
        }
        return spearman(pairs.stream().mapToDouble(p -> p[0]).toArray(), pairs.stream().mapToDouble(p -> p[1]).toArray());
    }

    static double spearman(double[] a, double[] b) {
        if (a.length < 3) {
            return Double.NaN;
        }
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Ranks from 1, tied values sharing the mean of their ranks. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                r[order[t]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try {
            return new KafkaTopics(clientProperties()).readAll(topic);
        } catch (RuntimeException e) {
            return List.of(); // no such topic: the job wrote nothing
        }
    }

    private static JsonNode get(URI uri) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String failureOf(JobClient job) {
        try {
            job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            return "finished";
        } catch (Exception e) {
            return rootMessage(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        m = m.replace('\n', ' ').replace('|', '/');
        return m.length() > 160 ? m.substring(0, 160) + "…" : m;
    }

    private Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "| %d | %,d | %s | %,d | %s | %d | %d | %s | %d | %d | %,.0f | %d | %,d | %s |",
                r.dim(), r.domains(), r.backend(), r.examples(), r.outcome(), r.completed(), r.failed(),
                size(r.lastSizeBytes()), r.lastDurationMs(), r.maxDurationMs(), r.rate(), r.heapAfterGcMb(),
                r.domainsInSnapshot(), Double.isNaN(r.spearman()) ? "-" : String.format(Locale.ROOT, "%.2f", r.spearman()));
    }

    private static String size(long bytes) {
        return bytes < (1 << 20) ? String.format(Locale.ROOT, "%.0f kB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private void write(List<Row> rows) throws Exception {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "checkpoint every %d ms, %d s live per run, %s, load average at the end %.1f%n%n", checkpointIntervalMs,
                seconds, String.join(" ", extraJobOptions), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        b.append("| d | K | backend | examples | outcome | completed | failed | last size | last ms | max ms | examples/s "
                + "| heap after GC MB | domains in snapshot | Spearman λ, 1/σ² |\n");
        b.append("|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(line(r)).append('\n');
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
    }
}
