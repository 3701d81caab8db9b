package io.domainmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.job.DomainMixJob;
import io.domainmix.job.JobOptions;
import io.domainmix.testkit.KafkaBrokerProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
import java.util.stream.Stream;
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
 * {@code --repeat R} (1: every measurement R times, interleaved; medians and per-repeat ratios),
 * {@code --experiment linear-noise}, {@code --broker-heap 1g}, {@code --bootstrap-servers host:port}
 * (use a running broker instead of starting one), {@code --skip-job}, {@code --heap-trace}
 * (after-GC heap by tenth of each job run), {@code --warm-up-rounds R} (8: at most R rounds of
 * untimed JSON jobs after the first warm-up, until the JIT compilers settle),
 * {@code --compare-job-option name=value} (repeatable: every job run is made twice, back to back,
 * as given and with these options, and the summary gives both (c)/(a) and their ratio). With
 * {@code --scoring} it measures the scoring job instead ({@link ScoringHarness}).
 */
public final class ThroughputHarness {
    static final int POOL = 1 << 16;
    private static final String BINARY = " (binary records)";
    /** The JIT compilers' share of this JVM's CPU in a warm-up run below which the job's code counts as compiled. */
    static final double SETTLED_JIT_SHARE = 0.10;
    /** With --heap-trace: a full collection this often during a measured job, for its live heap. */
    private static final long FULL_GC_EVERY_MS = 5_000;
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
    int repeat = 1;
    boolean skipJob;
    boolean onlyJobs;
    boolean heapTrace;
    int maxWarmUpRounds = 8;
    /** Further job options, {@code --job-option name=value}, e.g. {@code kafka-property=fetch.min.bytes=1}. */
    final List<String> extraJobOptions = new ArrayList<>();
    /**
     * Options of a second configuration of the job, {@code --compare-job-option name=value} as
     * given: each job run is made with and without them, back to back, so that both see the same
     * machine; they also label the runs made with them.
     */
    final List<String> compareJobOptions = new ArrayList<>();

    private final Map<String, List<Measurement>> results = new LinkedHashMap<>();
    private ProcessHandle broker;

    /** One measured line of the table. */
    record Measurement(String label, long examples, double seconds, double cpuSeconds, double brokerCpuSeconds,
                       String note) {
        double rate() {
            return examples / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--scoring")) {
            ScoringHarness.main(args);
            return;
        }
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
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--skip-job" -> skipJob = true;
                case "--only-jobs" -> onlyJobs = true;
                case "--warm-up-rounds" -> maxWarmUpRounds = Integer.parseInt(args[++i]);
                case "--heap-trace" -> heapTrace = true;
                case "--job-option" -> addJobOption(extraJobOptions, args[++i]);
                case "--compare-job-option" -> compareJobOptions.add(args[++i]);
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
        KafkaBrokerProcess child = null;
        try {
            if (bootstrapServers == null) {
                long t0 = System.nanoTime();
                child = KafkaBrokerProcess.start(dataDir, System.getProperty("java.class.path"), null, brokerHeap);
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
            long warmExamples = Math.max(50_000, examples / 10);
            List<String> all = new ArrayList<>();
            for (String pre : List.of(prefix, binaryPrefix, warmPrefix, warmBinaryPrefix)) {
                domains.forEach(d -> all.add(pre + "." + d));
            }
            createTopics(all);
            produce(ex, prefix, onlyJobs ? null : binaryPrefix, examples, SEED);
            produce(ex, warmPrefix, onlyJobs ? null : warmBinaryPrefix, warmExamples, SEED + 1);
            List<String> jsonTopics = topics(prefix, domains);
            List<String> binaryTopics = topics(binaryPrefix, domains);

            ExampleSchema schema = new ExampleSchema(dimension, ex.modelSpec().labelKind());
            ExampleJsonCodec json = new ExampleJsonCodec(schema);
            ExampleBinaryCodec binary = new ExampleBinaryCodec(schema);
            ToLongFunction<ConsumerRecord<byte[], byte[]>> raw = r -> r.value().length;
            ToLongFunction<ConsumerRecord<byte[], byte[]>> fromJson = r -> decoded(json.decode(r.value(), key(r), null));
            ToLongFunction<ConsumerRecord<byte[], byte[]>> fromBinary = r -> decoded(binary.decode(r.value(), key(r), null));
            Example[] pool = BenchmarkData.pool(experiment, dimension, POOL);
            byte[][] jsonPool = new byte[POOL][];
            for (int i = 0; i < POOL; i++) {
                jsonPool[i] = ExampleJsonCodec.encode(pool[i]);
            }
            Map<String, TrainerSettings> settingsByPolicy = new LinkedHashMap<>();
            for (String policy : policies) {
                settingsByPolicy.put(policy, jobOptions(policy, 1, "in-memory", prefix).trainerSettings());
            }
            TrainerSettings plain = settingsByPolicy.get(policies.get(0));

            if (!onlyJobs) {
                consume(topics(warmPrefix, domains), 1, fromJson, warmExamples);
                consume(topics(warmBinaryPrefix, domains), 1, fromBinary, warmExamples);
                for (TrainerSettings settings : settingsByPolicy.values()) {
                    inMemory(settings, pool, jsonPool, json, true, true, warmExamples);
                    inMemory(settings, pool, null, null, true, true, warmExamples);
                }
                serializerRoundTrips(pool, false, warmExamples);
                serializerRoundTrips(pool, true, warmExamples);
                for (int r = 0; r < repeat; r++) {
                    for (int threads : List.of(1, 2)) {
                        String t = threads + " thread" + (threads > 1 ? "s" : "");
                        measure("a raw consume of JSON records, " + t, () -> consume(jsonTopics, threads, raw, examples));
                        measure("a raw consume of binary records, " + t, () -> consume(binaryTopics, threads, raw, examples));
                        measure("a consume + JSON decode, " + t, () -> consume(jsonTopics, threads, fromJson, examples));
                        measure("a consume + binary decode, " + t, () -> consume(binaryTopics, threads, fromBinary, examples));
                    }
                    for (String policy : policies) {
                        TrainerSettings settings = settingsByPolicy.get(policy);
                        measure("b statistics + trainer, " + policy,
                                () -> inMemory(settings, pool, null, null, true, true, examples));
                    }
                    measure("b statistics only, " + policies.get(0), () -> inMemory(plain, pool, null, null, true, false, examples));
                    measure("b trainer only, " + policies.get(0), () -> inMemory(plain, pool, null, null, false, true, examples));
                    measure("b JSON decode + statistics + trainer, " + policies.get(0),
                            () -> inMemory(plain, pool, jsonPool, json, true, true, examples));
                    measure("b Flink serializer round trip, one Example a record (POJO)", () -> serializerRoundTrips(pool, false, examples));
                    measure("b Flink serializer round trip, TrainerInput batches (the job's)", () -> serializerRoundTrips(pool, true, examples));
                }
            }

            if (!skipJob) {
                System.out.println(domainPlacement(domains));
                // the job's warm-up: an unrecorded run of every policy at each parallelism over all N
                // examples, in the binary format (three times as fast; JSON decoding is already compiled
                // by the consumer runs). Flink's and Kafka's code that runs once per snapshot or per
                // network buffer reaches the optimizing compiler only after millions of examples, and on
                // two cores the compiler otherwise takes a third of the machine from the first runs.
                // Then one run over the (smaller) JSON warm-up set, so that decoding inside the job's
                // operator chain is compiled too.
                for (int p : parallelisms) {
                    for (boolean compared : configurations(0)) {
                        for (String policy : policies) {
                            runJob(onlyJobs ? prefix : binaryPrefix, policy, p, examples, true, "", compared);
                        }
                        runJob(warmPrefix, policies.get(0), p, warmExamples, true, "", compared);
                    }
                }
                // On two cores the compilers were still busy in the timed runs after that: their
                // threads took 1.5-3.6 µs an example of the steady window, up to a third of the
                // machine, and more for the paced job, whose code paths are more. Every policy's JSON
                // job runs again until a whole round of them leaves this JVM's compilers under
                // SETTLED_JIT_SHARE of its CPU, as in a job that has been running for minutes.
                for (int round = 1; round <= maxWarmUpRounds; round++) {
                    double jit = 0;
                    for (int p : parallelisms) {
                        for (boolean compared : configurations(round)) {
                            for (String policy : policies) {
                                jit = Math.max(jit, runJob(prefix, policy, p, examples, true, "", compared));
                            }
                        }
                    }
                    if (jit < SETTLED_JIT_SHARE) {
                        break;
                    }
                    if (round == maxWarmUpRounds) {
                        System.out.printf(Locale.ROOT, "the compilers took %.0f%% of the CPU in the last warm-up round;"
                                + " timing anyway (--warm-up-rounds %d)%n", 100 * jit, maxWarmUpRounds);
                    }
                }
                for (int r = 0; r < repeat; r++) {
                    // later runs profit from the compiler's work on earlier ones: every other repeat
                    // reverses the order, so that medians over repeats compare the policies fairly
                    List<String> order = new ArrayList<>(policies);
                    if (r % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (int p : parallelisms) {
                        for (boolean compared : configurations(r)) {
                            for (String policy : order) {
                                runJob(prefix, policy, p, examples, false, "", compared);
                            }
                            if (!onlyJobs) { // the same examples in the binary format: the job without JSON's cost
                                runJob(binaryPrefix, policies.get(0), p, examples, false, BINARY, compared);
                            }
                        }
                    }
                }
            }
            printSummary();
        } finally {
            if (child != null) {
                child.close();
            }
            deleteRecursively(dataDir);
        }
    }

    private static void addJobOption(List<String> to, String nameValue) {
        String[] kv = nameValue.split("=", 2);
        to.add("--" + kv[0]);
        to.add(kv.length > 1 ? kv[1] : "true");
    }

    /** The label suffix of runs made with the compared options: " [name=value, …]", or "" when none are. */
    private String compareSuffix() {
        return compareJobOptions.isEmpty() ? "" : " [" + String.join(", ", compareJobOptions) + "]";
    }

    /** The job configurations each run is made in: as given, and with the compared options if any. */
    private List<Boolean> configurations(int repeatIndex) {
        if (compareJobOptions.isEmpty()) {
            return List.of(false);
        }
        // every other repeat in the other order, so that neither always runs right after the other
        return repeatIndex % 2 == 0 ? List.of(false, true) : List.of(true, false);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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

    /**
     * {@code count} arrivals of the experiment, written as JSON to {@code prefix.<domain>} and as
     * binary to {@code binaryPrefix.<domain>}, one producer thread per format.
     */
    private void produce(Experiment ex, String prefix, String binaryPrefix, long count, long seed) throws Exception {
        long t0 = System.nanoTime();
        long[] bytes = new long[2];
        Thread binaryWriter = new Thread(() -> {
            if (binaryPrefix != null) {
                bytes[1] = produce(ex, binaryPrefix, count, seed, ExampleBinaryCodec::encode);
            }
        }, "produce-binary");
        binaryWriter.start();
        bytes[0] = produce(ex, prefix, count, seed, ExampleJsonCodec::encode);
        binaryWriter.join();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "produced %,d examples to %s.* in each format in %.1f s (%,.0f/s per format; mean record %.0f B JSON, %.0f B binary)%n",
                count, prefix, s, count / s, (double) bytes[0] / count, (double) bytes[1] / count);
    }

    private long produce(Experiment ex, String prefix, long count, long seed, java.util.function.Function<Example, byte[]> encoder) {
        Properties p = clientProperties();
        p.setProperty("linger.ms", "20");
        p.setProperty("batch.size", String.valueOf(512 * 1024));
        // a starved broker on a busy machine may take long to acknowledge; wait rather than drop
        p.setProperty("delivery.timeout.ms", String.valueOf(TimeUnit.MINUTES.toMillis(10)));
        p.setProperty("request.timeout.ms", String.valueOf(TimeUnit.MINUTES.toMillis(2)));
        long bytes = 0;
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(seed), seed);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                Example e = arrivals.next();
                byte[] value = encoder.apply(e);
                bytes += value.length;
                // no key: a domain's records spread over its topic's partitions, so that parallel readers
                // share the decoding (keyed by domain, all of a domain would be in one partition)
                producer.send(new ProducerRecord<>(prefix + "." + e.domain, null, value),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records to " + prefix + ".* were not written", firstFailure.get());
        }
        return bytes;
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
     * per-domain statistics (counts, FGLS sufficient statistics) with a summary to the trainer
     * every {@code stats-every} examples of a domain, the trainer's scoring, arrival and step, and
     * a snapshot every {@code snapshot-every} steps; optionally JSON decoding first.
     */
    private Timed inMemory(TrainerSettings settings, Example[] pool, byte[][] encoded, ExampleJsonCodec codec,
                           boolean statistics, boolean training, long count) {
        JobOptions defaults = jobOptions(policies.get(0), 1, "in-memory", "in-memory");
        long statsEvery = defaults.get(JobOptions.STATS_EVERY);
        long snapshotEvery = defaults.get(JobOptions.SNAPSHOT_EVERY);
        Trainer trainer = Trainer.create(settings);
        Map<String, DomainStatistics> byDomain = new HashMap<>();
        Map<String, Long> sent = new HashMap<>();
        long version = 0;
        long lastSnapshotStep = 0;
        long t0 = System.nanoTime();
        for (long n = 0; n < count; n++) {
            int i = (int) (n & (POOL - 1));
            Example e = encoded == null ? pool[i] : codec.decode(encoded[i], null, null).example();
            if (statistics) {
                DomainStatistics s = byDomain.computeIfAbsent(e.domain, d ->
                        DomainStatistics.create(settings.model.dimension(), settings.model.intercept(), settings.fglsEnabled()));
                s.observe(e);
                if (s.count - sent.getOrDefault(e.domain, 0L) >= statsEvery) {
                    sent.put(e.domain, s.count);
                    if (training) {
                        trainer.onDomainStats(s.summary(e.domain));
                    }
                }
            }
            if (training && trainer.onExample(e) > 0 && trainer.step() - lastSnapshotStep >= snapshotEvery) {
                lastSnapshotStep = trainer.step();
                trainer.snapshot("in-memory", ++version, 0);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Timed(count, s, training ? String.format(Locale.ROOT, "%,.0f steps/s", trainer.step() / s) : "");
    }

    /**
     * What every keyBy costs per example besides the network stack: Flink's serializer writing a
     * record to bytes and reading it back. Either one {@code Example} per record with the POJO
     * serializer Flink would give it (how the job sent examples before it batched them), or the
     * job's {@code TrainerInput} holding a batch of {@code exchange-batch} examples of one domain
     * with its hand-written serializer (what both exchanges of the job carry now).
     */
    private Timed serializerRoundTrips(Example[] pool, boolean batched, long count) throws Exception {
        org.apache.flink.api.common.serialization.SerializerConfigImpl config =
                new org.apache.flink.api.common.serialization.SerializerConfigImpl();
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(1024);
        org.apache.flink.core.memory.DataInputDeserializer in = new org.apache.flink.core.memory.DataInputDeserializer();
        long sum = 0;
        long t0;
        int perRecord = 1;
        if (batched) {
            perRecord = JobOptions.defaults().get(JobOptions.EXCHANGE_BATCH);
            org.apache.flink.api.common.typeutils.TypeSerializer<io.domainmix.job.TrainerInput> ser =
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(io.domainmix.job.TrainerInput.class).createSerializer(config);
            int batches = POOL / perRecord;
            io.domainmix.job.TrainerInput[] records = new io.domainmix.job.TrainerInput[batches];
            for (int b = 0; b < batches; b++) {
                Example[] part = java.util.Arrays.copyOfRange(pool, b * perRecord, (b + 1) * perRecord);
                records[b] = io.domainmix.job.TrainerInput.of(new io.domainmix.job.ExampleBatch(part[0].domain, part));
            }
            t0 = System.nanoTime();
            for (long n = 0; n < count; n += perRecord) {
                out.clear();
                ser.serialize(records[(int) ((n / perRecord) % batches)], out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                for (Example e : ser.deserialize(in).examples.examples) {
                    sum += e.x.length;
                }
            }
            count = (count + perRecord - 1) / perRecord * perRecord;
        } else {
            org.apache.flink.api.common.typeutils.TypeSerializer<Example> ser =
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(Example.class).createSerializer(config);
            t0 = System.nanoTime();
            for (long n = 0; n < count; n++) {
                out.clear();
                ser.serialize(pool[(int) (n & (POOL - 1))], out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                sum += ser.deserialize(in).x.length;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (sum != count * dimension) {
            throw new IllegalStateException("a round trip lost features");
        }
        return new Timed(count, s, String.format(Locale.ROOT, "%.0f B per example", (double) out.length() / perRecord));
    }

    // ------------------------------------------------------------------ (c–e) the job

    /** The job's options for a run; the in-memory loop takes its trainer settings and intervals from the same. */
    private JobOptions jobOptions(String policy, int parallelism, String runId, String topicPrefix) {
        return jobOptions(policy, parallelism, runId, topicPrefix, List.of());
    }

    /** @param more further options, {@code name=value} */
    private JobOptions jobOptions(String policy, int parallelism, String runId, String topicPrefix, List<String> more) {
        String[] parts = policy.split("\\+");
        String[] base = {"--bootstrap-servers", bootstrapServers,
                "--topic-prefix", topicPrefix, "--run-id", runId,
                "--snapshot-topic", runId + "-snapshots", "--metrics-topic", runId + "-metrics",
                "--dead-letter-topic", runId + "-dead-letters",
                "--bounded", "--statistics-parallelism", String.valueOf(parallelism),
                "--dim", String.valueOf(dimension), "--loss-weights", parts[0], "--sampling", parts[1]};
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(extraJobOptions);
        more.forEach(nameValue -> addJobOption(all, nameValue));
        return JobOptions.parse(all.toArray(String[]::new));
    }

    /**
     * One bounded run of the job over {@code prefix.*}; recorded unless it is the warm-up.
     *
     * @param format names the records' format in the label when they are not JSON
     * @param compared with the {@code --compare-job-option} options
     * @return the share of this JVM's CPU in the run that its JIT compilers took
     */
    private double runJob(String prefix, String policy, int parallelism, long expected, boolean warmUp, String format,
                          boolean compared) throws Exception {
        String runId = "bench-" + policy.replace('+', '-') + "-p" + parallelism + "-" + UUID.randomUUID().toString().substring(0, 6);
        JobOptions options = jobOptions(policy, parallelism, runId, prefix, compared ? compareJobOptions : List.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        DomainMixJob.buildKafka(env, options);
        String label = label(policy) + " job " + policy + format + ", p = " + parallelism + (compared ? compareSuffix() : "");
        long baseline = HeapMonitor.liveHeapNow();
        HeapMonitor heap = new HeapMonitor(heapTrace && !warmUp ? FULL_GC_EVERY_MS : 0);
        CpuProbe cpu = new CpuProbe(broker);
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute(options.jobName());
        double wall = (System.nanoTime() - t0) / 1e9;
        CpuProbe.Sample whole = cpu.total();
        cpu.close();
        heap.close();
        double jitShare = whole.groups().getOrDefault(CpuProbe.JIT, 0.0) / Math.max(1e-9, whole.process());

        SteadyWindow steady = steadyWindow(runId + "-metrics", expected);
        if (steady.finalSeen() != expected) {
            throw new IllegalStateException(label + ": the job's final metrics saw " + steady.finalSeen()
                    + " examples, expected " + expected);
        }
        if (warmUp) {
            System.out.printf(Locale.ROOT, "warm-up job (%s, p = %d) over %,d examples: %.1f s, JIT compilers %.0f%% of the CPU%n",
                    policy, parallelism, expected, wall, 100 * jitShare);
            return jitShare;
        }
        if (!steady.usable()) {
            throw new IllegalStateException(label + ": too few metrics records for a steady window; use more examples");
        }
        CpuProbe.Sample window = cpu.between(steady.fromMs(), steady.toMs());
        long steadyExamples = steady.toSeen() - steady.fromSeen();
        String note = String.format(Locale.ROOT,
                "wall %.1f s incl. start-up (%,.0f/s); heap: baseline %d MB, peak after GC %d MB, peak used %d MB, %d GCs",
                wall, expected / wall, baseline >> 20, heap.peakAfterGc() >> 20, heap.peakUsed() >> 20, heap.collections());
        if (heapTrace) {
            StringBuilder b = new StringBuilder("; after-GC heap by tenth of the run (MB):");
            for (long v : heap.afterGcBySlice(10)) {
                b.append(' ').append(v < 0 ? "-" : String.valueOf(v >> 20));
            }
            b.append("; live heap after a full GC every ").append(FULL_GC_EVERY_MS / 1000).append(" s (MB):");
            for (long v : heap.liveByFullGc()) {
                b.append(' ').append(v >> 20);
            }
            note += b;
        }
        record(new Measurement(label, steadyExamples, steady.seconds(), window.processWithoutJit(), window.brokerWithoutJit(),
                withJit(note, window, steadyExamples)));
        System.out.printf(Locale.ROOT, "      CPU per example in the steady window (%,d examples, %.1f s), by thread group:%n",
                steadyExamples, steady.seconds());
        for (String line : CpuProbe.perExample(window, steadyExamples)) {
            System.out.println("      " + line);
        }
        System.out.println("      examples/s by fifth of the steady window: " + steady.rateByFifth());
        if (result.getNetRuntime(TimeUnit.MILLISECONDS) <= 0) {
            throw new IllegalStateException("the job reported no runtime");
        }
        return jitShare;
    }

    private static String label(String policy) {
        return switch (policy) {
            case "uniform+proportional" -> "c";
            case "erma+va" -> "d";
            case "fgls+va" -> "e";
            default -> "-";
        };
    }

    /** The steady part of a run: examples seen and wall-clock time at its start and end, and the final count. */
    record SteadyWindow(long fromSeen, long fromMs, long toSeen, long toMs, long finalSeen, String rateByFifth) {
        boolean usable() {
            return toSeen > fromSeen && toMs > fromMs;
        }

        double seconds() {
            return (toMs - fromMs) / 1e3;
        }
    }

    /**
     * From the run's metrics records (examples seen, trainer's clock): from the first record past
     * 5% of the input (start-up and the first compilations behind) to the last record before the
     * final one (which waits for the end of input to be detected).
     */
    private SteadyWindow steadyWindow(String metricsTopic, long expected) throws Exception {
        List<long[]> points = new ArrayList<>(); // {seen, ts}
        long finalSeen = -1;
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
                    if (m.path("final").asBoolean()) {
                        finalSeen = Math.max(finalSeen, seen);
                    } else {
                        points.add(new long[] {seen, m.path("timestamp").asLong()});
                    }
                }
            }
        }
        points.sort(java.util.Comparator.comparingLong(p -> p[0]));
        long[] from = points.stream().filter(p -> p[0] >= expected / 20).findFirst().orElse(new long[] {0, 0});
        long[] to = points.isEmpty() ? new long[] {0, 0} : points.get(points.size() - 1);
        return new SteadyWindow(from[0], from[1], to[0], to[1], finalSeen, fifths(points, from, to));
    }

    /** The rate in each fifth (by examples) of the steady window: how far the job still was from its own top speed. */
    private static String fifths(List<long[]> points, long[] from, long[] to) {
        StringBuilder b = new StringBuilder();
        long[] start = from;
        for (int k = 1; k <= 5; k++) {
            long bound = from[0] + (to[0] - from[0]) * k / 5;
            long[] end = points.stream().filter(p -> p[0] >= bound).findFirst().orElse(to);
            if (end[1] > start[1]) {
                b.append(String.format(Locale.ROOT, " %,.0f", (end[0] - start[0]) * 1000.0 / (end[1] - start[1])));
            }
            start = end;
        }
        return b.toString().trim();
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
        try (CpuProbe cpu = new CpuProbe(broker)) {
            Timed t = r.run();
            CpuProbe.Sample c = cpu.total();
            record(new Measurement(label, t.examples(), t.seconds(), c.processWithoutJit(), c.brokerWithoutJit(),
                    withJit(t.note(), c, t.examples())));
        }
    }

    private static String withJit(String note, CpuProbe.Sample cpu, long examples) {
        double jit = cpu.groups().getOrDefault(CpuProbe.JIT, 0.0);
        String j = String.format(Locale.ROOT, "JIT %.2f + broker JIT %.2f µs/ex", 1e6 * jit / examples,
                1e6 * cpu.brokerJit() / examples);
        return note.isEmpty() ? j : j + "; " + note;
    }

    private void record(Measurement m) {
        results.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m);
        System.out.println(line(m, ""));
    }

    private static String line(Measurement m, String suffix) {
        return String.format(Locale.ROOT, "%-48s %,11.0f ex/s  %6.2f µs CPU/ex  broker %5.2f µs/ex%s  %s", m.label(), m.rate(),
                1e6 * m.cpuSeconds() / m.examples(), 1e6 * m.brokerCpuSeconds() / m.examples(), suffix, m.note());
    }

    /** The run with the median rate of a label (the lower middle one for an even count). */
    private Measurement median(String label) {
        List<Measurement> runs = results.get(label);
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        List<Measurement> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Measurement::rate));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static double cpuPerExample(Measurement m) {
        return (m.cpuSeconds() + m.brokerCpuSeconds()) / m.examples();
    }

    private void printSummary() {
        System.out.println();
        System.out.printf(Locale.ROOT, "summary (median of %d runs by rate; CPU: every thread of this JVM except the JIT compilers;%n"
                + "the broker is a separate process):%n", repeat);
        for (String label : results.keySet()) {
            List<Measurement> runs = results.get(label);
            double lo = runs.stream().mapToDouble(Measurement::rate).min().orElse(0);
            double hi = runs.stream().mapToDouble(Measurement::rate).max().orElse(0);
            String range = runs.size() > 1 ? String.format(Locale.ROOT, " (runs %,.0f–%,.0f)", lo, hi) : "";
            System.out.println(line(median(label), range));
        }
        System.out.println();
        System.out.println("ratios of examples/s, per repeat and [median]; in parentheses the same by CPU cost per example");
        System.out.println("(this JVM without JIT, + broker), which contention on a shared machine disturbs less:");
        for (int p : parallelisms) {
            String threads = p == 1 ? "1 thread" : p + " threads";
            List<Measurement> a = results.get("a consume + JSON decode, " + threads);
            List<Measurement> c = results.get("c job uniform+proportional, p = " + p);
            List<Measurement> d = results.get("d job erma+va, p = " + p);
            List<Measurement> e = results.get("e job fgls+va, p = " + p);
            List<Measurement> cCompared = results.get("c job uniform+proportional, p = " + p + compareSuffix());
            if (!compareJobOptions.isEmpty() && c != null && cCompared != null) {
                System.out.printf(Locale.ROOT, "  p = %d: (c) as given / (c)%s %s%n", p, compareSuffix(), ratios(c, cCompared));
            }
            if (a == null || c == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "  p = %d: (c)/(a) %s   (d)/(c) %s   (e)/(c) %s%n", p, ratios(c, a), ratios(d, c), ratios(e, c));
            if (cCompared != null) {
                System.out.printf(Locale.ROOT, "         with%s: (c)/(a) %s%n", compareSuffix(), ratios(cCompared, a));
            }
            List<Measurement> aBinary = results.get("a consume + binary decode, " + threads);
            List<Measurement> cBinary = results.get(label(policies.get(0)) + " job " + policies.get(0) + BINARY + ", p = " + p);
            if (aBinary != null && cBinary != null) {
                System.out.printf(Locale.ROOT, "         binary records: (c)/(a) %s   job binary / job JSON %s%n",
                        ratios(cBinary, aBinary), ratios(cBinary, results.get(label(policies.get(0)) + " job " + policies.get(0) + ", p = " + p)));
            }
        }
        Measurement rawJson = median("a raw consume of JSON records, 1 thread");
        Measurement rawBinary = median("a raw consume of binary records, 1 thread");
        Measurement json = median("a consume + JSON decode, 1 thread");
        Measurement binary = median("a consume + binary decode, 1 thread");
        if (rawJson != null && json != null && binary != null && rawBinary != null) {
            System.out.printf(Locale.ROOT, "  plain consumer, 1 thread: JSON decode / raw JSON = %.2f, binary decode / raw binary = %.2f, "
                    + "binary decode / JSON decode = %.2f%n", json.rate() / rawJson.rate(), binary.rate() / rawBinary.rate(),
                    binary.rate() / json.rate());
        }
        Measurement compute = median("b statistics + trainer, " + policies.get(0));
        Measurement decodeCompute = median("b JSON decode + statistics + trainer, " + policies.get(0));
        if (compute != null && decodeCompute != null) {
            System.out.printf(Locale.ROOT, "  in memory, one thread: JSON decoding is %.0f%% of decode + statistics + trainer%n",
                    100 * (1 - compute.cpuSeconds() / compute.examples() / (decodeCompute.cpuSeconds() / decodeCompute.examples())));
        }
        for (int p : parallelisms) {
            Measurement job = median("c job uniform+proportional, p = " + p);
            if (job != null && compute != null) {
                System.out.printf(Locale.ROOT, "  job p = %d (c) / in-memory compute limit (b, %s) = %.3f (CPU per example %.1fx)%n",
                        p, policies.get(0), job.rate() / compute.rate(), cpuPerExample(job) / cpuPerExample(compute));
            }
        }
    }

    /** "r1 r2 ... [median] (cpu-median)" of num/den, pairing the i-th runs; "-" when missing. */
    private static String ratios(List<Measurement> num, List<Measurement> den) {
        if (num == null || den == null || num.isEmpty() || den.isEmpty()) {
            return "-";
        }
        int n = Math.min(num.size(), den.size());
        double[] rate = new double[n];
        double[] cost = new double[n];
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rate[i] = num.get(i).rate() / den.get(i).rate();
            cost[i] = cpuPerExample(den.get(i)) / cpuPerExample(num.get(i));
            if (n > 1) {
                b.append(String.format(Locale.ROOT, "%.2f ", rate[i]));
            }
        }
        java.util.Arrays.sort(rate);
        java.util.Arrays.sort(cost);
        b.append(String.format(Locale.ROOT, "[%.2f] (%.2f)", middle(rate), middle(cost)));
        return b.toString();
    }

    /** The median of sorted values; the mean of the middle two for an even count (one run in each order). */
    private static double middle(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
