package io.domainmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Model;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end throughput against the machine's limits, in one run on one machine:
 * <ol>
 *   <li>a real broker (a child process) is filled with N examples of two domains, as JSON and,
 *       in separate topics, in the binary format;</li>
 *   <li>(a) a plain {@link KafkaConsumer} reads them back and decodes them, with 1 and with 2
 *       threads: the I/O and parsing limit;</li>
 *   <li>(b) one thread does the job's per-example work in memory (statistics under the newest
 *       snapshot, summaries, the trainer's arrival and SGD step): the compute limit;</li>
 *   <li>(c) the job with uniform+proportional, (d) erma+va, (e) fgls+va, bounded, on a local
 *       cluster in this JVM, at each statistics-operator parallelism.</li>
 * </ol>
 * It prints examples/s, CPU time per example (this JVM, and the broker's), the job's heap, and the
 * ratios (c)/(a), (d)/(c), (e)/(c). The job's rate is its steady rate, from the examples-seen
 * counts and timestamps of its metrics records (start-up excluded); the wall-clock rate with
 * start-up is shown beside it.
 *
 * <p>Options: {@code --examples N} (1,000,000), {@code --dim d} (20), {@code --partitions P} per
 * domain topic (2), {@code --parallelism 1,2}, {@code --policies uniform+proportional,erma+va,fgls+va},
 * {@code --experiment linear-noise}, {@code --broker-heap 1g}, {@code --bootstrap-servers host:port}
 * (use a running broker instead of starting one), {@code --skip-job}, {@code --heap-trace}
 * (after-GC heap by tenth of each job run).
 */
public final class ThroughputHarness {
    static final int POOL = 1 << 16;
    static final long SEED = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    long examples = 1_000_000;
    int dimension = 20;
    int partitions = 2;
    List<Integer> parallelisms = List.of(1, 2);
    List<String> policies = List.of("uniform+proportional", "erma+va", "fgls+va");
    String experiment = "linear-noise";
    String brokerHeap = "1g";
    String bootstrapServers;
    boolean skipJob;
    boolean heapTrace;

    private final Map<String, Measurement> results = new LinkedHashMap<>();
    private ProcessHandle broker;

    /** One measured line of the table. */
    record Measurement(String label, long examples, double seconds, double cpuSeconds, double brokerCpuSeconds,
                       String note) {
        double rate() {
            return examples / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        ThroughputHarness h = new ThroughputHarness();
        h.parse(args);
        h.run();
        System.exit(0); // Flink's and Kafka's non-daemon threads must not keep the JVM alive
    }

    void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--examples" -> examples = Long.parseLong(args[++i].replace("_", ""));
                case "--dim" -> dimension = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelisms = List.of(args[++i].split(",")).stream().map(Integer::parseInt).toList();
                case "--policies" -> policies = List.of(args[++i].split(","));
                case "--experiment" -> experiment = args[++i];
                case "--broker-heap" -> brokerHeap = args[++i];
                case "--bootstrap-servers" -> bootstrapServers = args[++i];
                case "--skip-job" -> skipJob = true;
                case "--heap-trace" -> heapTrace = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "; see the class documentation");
            }
        }
    }

    void run() throws Exception {
        System.out.printf(Locale.ROOT, "domainmix throughput harness: %,d examples, d = %d, experiment %s, %d partitions per topic%n",
                examples, dimension, experiment, partitions);
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, max heap %d MB, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path dataDir = Files.createTempDirectory("domainmix-bench-kafka");
        BrokerProcess child = null;
        try {
            if (bootstrapServers == null) {
                long t0 = System.nanoTime();
                child = BrokerProcess.start(brokerHeap, dataDir);
                bootstrapServers = child.bootstrapServers();
                broker = ProcessHandle.of(child.pid()).orElse(null);
                System.out.printf(Locale.ROOT, "broker (child process, -Xmx%s) ready in %.1f s at %s%n", brokerHeap,
                        (System.nanoTime() - t0) / 1e9, bootstrapServers);
            }
            Experiment ex = Experiment.named(experiment, dimension);
            List<String> domains = ex.domains().stream().map(d -> d.name()).toList();
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            String binaryPrefix = prefix + "-binary";
            // a tenth as much again, in its own topics, so that every path runs compiled before it is timed
            String warmPrefix = prefix + "-warmup";
            String warmBinaryPrefix = prefix + "-warmup-binary";
            long warmExamples = Math.max(20_000, examples / 10);
            List<String> all = new ArrayList<>();
            for (String pre : List.of(prefix, binaryPrefix, warmPrefix, warmBinaryPrefix)) {
                domains.forEach(d -> all.add(pre + "." + d));
            }
            createTopics(all);
            produce(ex, prefix, binaryPrefix, examples, SEED);
            produce(ex, warmPrefix, warmBinaryPrefix, warmExamples, SEED + 1);
            List<String> jsonTopics = topics(prefix, domains);
            List<String> binaryTopics = topics(binaryPrefix, domains);

            ExampleSchema schema = new ExampleSchema(dimension, ex.modelSpec().labelKind());
            ExampleJsonCodec json = new ExampleJsonCodec(schema);
            ExampleBinaryCodec binary = new ExampleBinaryCodec(schema);
            ToLongFunction<ConsumerRecord<byte[], byte[]>> raw = r -> r.value().length;
            ToLongFunction<ConsumerRecord<byte[], byte[]>> fromJson = r -> decoded(json.decode(r.value(), key(r), null));
            ToLongFunction<ConsumerRecord<byte[], byte[]>> fromBinary = r -> decoded(binary.decode(r.value(), key(r), null));
            consume(topics(warmPrefix, domains), 1, fromJson, warmExamples);
            consume(topics(warmBinaryPrefix, domains), 1, fromBinary, warmExamples);
            for (int threads : List.of(1, 2)) {
                String t = threads + " thread" + (threads > 1 ? "s" : "");
                measure("a raw consume, " + t, () -> consume(jsonTopics, threads, raw, examples));
                measure("a consume + JSON decode, " + t, () -> consume(jsonTopics, threads, fromJson, examples));
                measure("a consume + binary decode, " + t, () -> consume(binaryTopics, threads, fromBinary, examples));
            }

            Example[] pool = BenchmarkData.pool(experiment, dimension, POOL);
            byte[][] jsonPool = new byte[POOL][];
            for (int i = 0; i < POOL; i++) {
                jsonPool[i] = ExampleJsonCodec.encode(pool[i]);
            }
            for (String policy : policies) {
                TrainerSettings settings = jobOptions(policy, 1, "in-memory", prefix).trainerSettings();
                inMemory(settings, pool, jsonPool, json, true, true, warmExamples);
                inMemory(settings, pool, null, null, true, true, warmExamples);
            }
            for (String policy : policies) {
                TrainerSettings settings = jobOptions(policy, 1, "in-memory", prefix).trainerSettings();
                measure("b in-memory statistics + trainer, " + policy,
                        () -> inMemory(settings, pool, null, null, true, true, examples));
            }
            TrainerSettings plain = jobOptions(policies.get(0), 1, "in-memory", prefix).trainerSettings();
            measure("b in-memory statistics only, " + policies.get(0),
                    () -> inMemory(plain, pool, null, null, true, false, examples));
            measure("b in-memory trainer only, " + policies.get(0),
                    () -> inMemory(plain, pool, null, null, false, true, examples));
            measure("b JSON decode + statistics + trainer, " + policies.get(0),
                    () -> inMemory(plain, pool, jsonPool, json, true, true, examples));

            if (!skipJob) {
                System.out.println(domainPlacement(domains));
                int widest = parallelisms.stream().max(Integer::compare).orElse(1);
                runJob(warmPrefix, policies.get(0), widest, warmExamples, true);
                for (int p : parallelisms) {
                    for (String policy : policies) {
                        runJob(prefix, policy, p, examples, false);
                    }
                }
            }
            printRatios();
        } finally {
            if (child != null) {
                child.close();
            }
            LocalBroker.deleteRecursively(dataDir);
        }
    }

    // ------------------------------------------------------------------ input

    private Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    private void createTopics(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    /** {@code count} arrivals of the experiment, each written as JSON to {@code prefix.<domain>} and as binary to {@code binaryPrefix.<domain>}. */
    private void produce(Experiment ex, String prefix, String binaryPrefix, long count, long seed) {
        Properties p = clientProperties();
        p.setProperty("linger.ms", "20");
        p.setProperty("batch.size", String.valueOf(512 * 1024));
        long t0 = System.nanoTime();
        long jsonBytes = 0;
        long binaryBytes = 0;
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(seed), seed);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                Example e = arrivals.next();
                byte[] key = e.domain.getBytes(StandardCharsets.UTF_8);
                byte[] j = ExampleJsonCodec.encode(e);
                byte[] b = ExampleBinaryCodec.encode(e);
                jsonBytes += j.length;
                binaryBytes += b.length;
                producer.send(new ProducerRecord<>(prefix + "." + e.domain, key, j));
                producer.send(new ProducerRecord<>(binaryPrefix + "." + e.domain, key, b));
            }
            producer.flush();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "produced %,d examples to %s.* twice in %.1f s (%,.0f/s per format; mean record %.0f B JSON, %.0f B binary)%n",
                count, prefix, s, count / s, (double) jsonBytes / count, (double) binaryBytes / count);
    }

    // ------------------------------------------------------------------ (a) plain consumer

    private static List<String> topics(String prefix, List<String> domains) {
        return domains.stream().map(d -> prefix + "." + d).toList();
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static long decoded(DecodeResult r) {
        if (!r.isAccepted()) {
            throw new IllegalStateException("a produced record was rejected: " + r.describe());
        }
        return r.example().x.length;
    }

    /** Reads every partition of the topics from the beginning to its end, split over threads; seconds from first to last record. */
    private Timed consume(List<String> topics, int threads, ToLongFunction<ConsumerRecord<byte[], byte[]>> work,
                          long expected) throws Exception {
        List<TopicPartition> parts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            for (String t : topics) {
                for (PartitionInfo info : c.partitionsFor(t, Duration.ofSeconds(30))) {
                    parts.add(new TopicPartition(t, info.partition()));
                }
            }
        }
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong();
        AtomicLong count = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int i = w; i < parts.size(); i += threads) {
                mine.add(parts.get(i));
            }
            Thread t = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> c = consumer()) {
                    c.assign(mine);
                    c.seekToBeginning(mine);
                    Map<TopicPartition, Long> end = c.endOffsets(mine);
                    long n = 0;
                    long s = 0;
                    boolean started = false;
                    while (mine.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                            if (!started) {
                                started = true;
                                first.accumulateAndGet(System.nanoTime(), Math::min);
                            }
                            s += work.applyAsLong(r);
                            n++;
                        }
                    }
                    last.accumulateAndGet(System.nanoTime(), Math::max);
                    count.addAndGet(n);
                    sink.addAndGet(s);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "consumer-" + w);
            workers.add(t);
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a consumer failed", failures.get(0));
        }
        if (count.get() != expected) {
            throw new IllegalStateException("read " + count.get() + " records, expected " + expected);
        }
        return new Timed(count.get(), (last.get() - first.get()) / 1e9, "");
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = clientProperties();
        p.setProperty("enable.auto.commit", "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // ------------------------------------------------------------------ (b) in memory

    /**
     * The job's per-example work in one thread, over a pool of examples cycled N times through:
     * per-domain statistics under the newest snapshot with a summary to the trainer every
     * {@code stats-every} examples of a domain, the trainer's arrival and step, and a snapshot
     * (which the statistics then use) every {@code snapshot-every} steps; optionally JSON
     * decoding first.
     */
    private Timed inMemory(TrainerSettings settings, Example[] pool, byte[][] encoded, ExampleJsonCodec codec,
                           boolean statistics, boolean training, long count) {
        JobOptions defaults = jobOptions(policies.get(0), 1, "in-memory", "in-memory");
        long statsEvery = defaults.get(JobOptions.STATS_EVERY);
        long snapshotEvery = defaults.get(JobOptions.SNAPSHOT_EVERY);
        Trainer trainer = Trainer.create(settings);
        Model model = settings.model.create();
        double[] scratch = new double[model.parameterCount()];
        Map<String, DomainStatistics> byDomain = new HashMap<>();
        Map<String, Long> sent = new HashMap<>();
        double[] published = trainer.averagedTheta().clone();
        double[] iterate = trainer.theta().clone();
        long version = 0;
        long lastSnapshotStep = 0;
        long t0 = System.nanoTime();
        for (long n = 0; n < count; n++) {
            int i = (int) (n & (POOL - 1));
            Example e = encoded == null ? pool[i] : codec.decode(encoded[i], null, null).example();
            if (statistics) {
                DomainStatistics s = byDomain.computeIfAbsent(e.domain, d ->
                        DomainStatistics.create(settings.model.dimension(), settings.model.intercept(), settings.fglsEnabled()));
                s.observe(model, published, iterate, e, settings.emaBeta, scratch);
                if (s.count - sent.getOrDefault(e.domain, 0L) >= statsEvery) {
                    sent.put(e.domain, s.count);
                    if (training) {
                        trainer.onDomainStats(s.summary(e.domain, settings.emaBeta));
                    }
                }
            }
            if (training && trainer.onExample(e) > 0 && trainer.step() - lastSnapshotStep >= snapshotEvery) {
                lastSnapshotStep = trainer.step();
                ModelSnapshot snap = trainer.snapshot("in-memory", ++version, 0);
                published = snap.averagedTheta;
                iterate = snap.theta;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Timed(count, s, training ? String.format(Locale.ROOT, "%,.0f steps/s", trainer.step() / s) : "");
    }

    // ------------------------------------------------------------------ (c–e) the job

    /** The job's options for a run; the in-memory loop takes its trainer settings and intervals from the same. */
    private JobOptions jobOptions(String policy, int parallelism, String runId, String topicPrefix) {
        String[] parts = policy.split("\\+");
        return JobOptions.parse("--bootstrap-servers", bootstrapServers,
                "--topic-prefix", topicPrefix, "--run-id", runId,
                "--snapshot-topic", runId + "-snapshots", "--metrics-topic", runId + "-metrics",
                "--dead-letter-topic", runId + "-dead-letters",
                "--bounded", "--statistics-parallelism", String.valueOf(parallelism),
                "--dim", String.valueOf(dimension), "--loss-weights", parts[0], "--sampling", parts[1]);
    }

    /** One bounded run of the job over {@code prefix.*}; recorded unless it is the warm-up. */
    private void runJob(String prefix, String policy, int parallelism, long expected, boolean warmUp) throws Exception {
        String runId = "bench-" + policy.replace('+', '-') + "-p" + parallelism + "-" + UUID.randomUUID().toString().substring(0, 6);
        JobOptions options = jobOptions(policy, parallelism, runId, prefix);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        DomainMixJob.buildKafka(env, options);
        String label = label(policy) + " job " + policy + ", p = " + parallelism;
        long baseline = HeapMonitor.liveHeapNow();
        HeapMonitor heap = new HeapMonitor();
        CpuClock cpu = new CpuClock(broker);
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute(options.jobName());
        double wall = (System.nanoTime() - t0) / 1e9;
        double[] cpuSeconds = cpu.elapsed();
        heap.close();

        double[] steady = steadyRate(runId + "-metrics");
        long seen = (long) steady[2];
        if (seen != expected) {
            throw new IllegalStateException(label + ": the job's final metrics saw " + seen + " examples, expected " + expected);
        }
        if (warmUp) {
            System.out.printf(Locale.ROOT, "warm-up job (%s, p = %d) over %,d examples: %.1f s%n", policy, parallelism, expected, wall);
            return;
        }
        double steadySeconds = steady[1] > 0 ? steady[1] : wall;
        double steadyExamples = steady[1] > 0 ? steady[0] : expected;
        String note = String.format(Locale.ROOT,
                "wall %.1f s incl. start-up (%,.0f/s); heap: baseline %d MB, peak after GC %d MB, peak used %d MB, %d GCs",
                wall, expected / wall, baseline >> 20, heap.peakAfterGc() >> 20, heap.peakUsed() >> 20, heap.collections());
        if (heapTrace) {
            StringBuilder b = new StringBuilder("; after-GC heap by tenth of the run (MB):");
            for (long v : heap.afterGcBySlice(10)) {
                b.append(' ').append(v < 0 ? "-" : String.valueOf(v >> 20));
            }
            note += b;
        }
        // the steady window covers part of the run; CPU is charged in proportion
        double share = steadySeconds / wall;
        record(new Measurement(label, (long) steadyExamples, steadySeconds, cpuSeconds[0] * share,
                cpuSeconds[1] * share, note));
        if (result.getNetRuntime(TimeUnit.MILLISECONDS) <= 0) {
            throw new IllegalStateException("the job reported no runtime");
        }
    }

    private static String label(String policy) {
        return switch (policy) {
            case "uniform+proportional" -> "c";
            case "erma+va" -> "d";
            case "fgls+va" -> "e";
            default -> "-";
        };
    }

    /**
     * From the run's metrics records: {examples between the first record and the final one,
     * seconds between them, examples seen at the end}. Seconds is 0 when there are too few records.
     */
    private double[] steadyRate(String metricsTopic) throws Exception {
        long firstSeen = -1;
        long firstTs = 0;
        long lastSeen = -1;
        long lastTs = 0;
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(metricsTopic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(metricsTopic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    JsonNode m = JSON.readTree(r.value());
                    long seen = m.path("examplesSeen").asLong();
                    long ts = m.path("timestamp").asLong();
                    if (firstSeen < 0 || seen < firstSeen) {
                        firstSeen = seen;
                        firstTs = ts;
                    }
                    if (seen > lastSeen || (seen == lastSeen && m.path("final").asBoolean())) {
                        lastSeen = seen;
                        lastTs = ts;
                    }
                }
            }
        }
        if (lastSeen <= firstSeen || lastTs <= firstTs) {
            return new double[] {0, 0, lastSeen};
        }
        return new double[] {lastSeen - firstSeen, (lastTs - firstTs) / 1e3, lastSeen};
    }

    /** Which statistics subtask each domain's key goes to, at each parallelism: keyed state cannot spread one domain. */
    private String domainPlacement(List<String> domains) {
        StringBuilder b = new StringBuilder("statistics subtask of each domain (keyBy):");
        for (int p : parallelisms) {
            b.append(" p = ").append(p).append(':');
            for (String d : domains) {
                b.append(' ').append(d).append("->").append(KeyGroupRangeAssignment.assignKeyToParallelOperator(d,
                        KeyGroupRangeAssignment.computeDefaultMaxParallelism(p), p));
            }
            b.append(';');
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ measuring and reporting

    /** Examples and seconds of one measurement, with a note. */
    record Timed(long examples, double seconds, String note) {}

    @FunctionalInterface
    interface Run {
        Timed run() throws Exception;
    }

    private void measure(String label, Run r) throws Exception {
        CpuClock cpu = new CpuClock(broker);
        Timed t = r.run();
        double[] c = cpu.elapsed();
        record(new Measurement(label, t.examples(), t.seconds(), c[0], c[1], t.note()));
    }

    private void record(Measurement m) {
        results.put(m.label(), m);
        System.out.printf(Locale.ROOT, "%-52s %,12.0f ex/s  %6.2f µs CPU/ex (broker %5.2f)  %s%n", m.label(), m.rate(),
                1e6 * m.cpuSeconds() / m.examples(), 1e6 * m.brokerCpuSeconds() / m.examples(), m.note());
    }

    private void printRatios() {
        System.out.println();
        System.out.println("ratios (one run, same machine):");
        for (int p : parallelisms) {
            String threads = p == 1 ? "1 thread" : p + " threads";
            Measurement a = results.get("a consume + JSON decode, " + threads);
            Measurement c = results.get("c job uniform+proportional, p = " + p);
            Measurement d = results.get("d job erma+va, p = " + p);
            Measurement e = results.get("e job fgls+va, p = " + p);
            if (a != null && c != null) {
                System.out.printf(Locale.ROOT, "  p = %d: (c)/(a) = %.2f", p, c.rate() / a.rate());
                if (d != null) {
                    System.out.printf(Locale.ROOT, "   (d)/(c) = %.2f", d.rate() / c.rate());
                }
                if (e != null) {
                    System.out.printf(Locale.ROOT, "   (e)/(c) = %.2f", e.rate() / c.rate());
                }
                System.out.println();
            }
        }
        Measurement a1 = results.get("a consume + JSON decode, 1 thread");
        Measurement b1 = results.get("a consume + binary decode, 1 thread");
        Measurement raw = results.get("a raw consume, 1 thread");
        if (a1 != null && b1 != null && raw != null) {
            System.out.printf(Locale.ROOT, "  plain consumer, 1 thread: JSON decode / raw = %.2f, binary decode / raw = %.2f, binary / JSON = %.2f%n",
                    a1.rate() / raw.rate(), b1.rate() / raw.rate(), b1.rate() / a1.rate());
        }
        Measurement c1 = results.get("c job uniform+proportional, p = 1");
        Measurement bc = results.get("b in-memory statistics + trainer, uniform+proportional");
        if (c1 != null && bc != null) {
            System.out.printf(Locale.ROOT, "  job p = 1 / in-memory compute limit (uniform+proportional) = %.3f%n", c1.rate() / bc.rate());
        }
    }

    /** CPU time of this JVM and of the broker process since construction. */
    private static final class CpuClock {
        private final ProcessHandle broker;
        private final long jvm0;
        private final long broker0;

        CpuClock(ProcessHandle broker) {
            this.broker = broker;
            this.jvm0 = jvmCpuNanos();
            this.broker0 = brokerCpuNanos(broker);
        }

        double[] elapsed() {
            return new double[] {(jvmCpuNanos() - jvm0) / 1e9, (brokerCpuNanos(broker) - broker0) / 1e9};
        }

        private static long jvmCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static long brokerCpuNanos(ProcessHandle h) {
            return h == null ? 0 : h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
    }
}
