package io.domainmix.cli;

import io.domainmix.cli.broker.EmbeddedKafkaBroker;
import io.domainmix.cli.demo.ExperimentRun;
import io.domainmix.cli.demo.LocalFlinkCluster;
import io.domainmix.cli.demo.PolicyRun;
import io.domainmix.cli.demo.SummaryTable;
import io.domainmix.cli.report.Report;
import io.domainmix.cli.report.TopicContents;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.producers.ProduceSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domainmix demo}: the whole system on one machine, from examples in Kafka to a report. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Start a Kafka broker and a Flink cluster on 127.0.0.1, produce a synthetic experiment's domains once,",
            "train the policy grid on the identical data as Flink jobs, and write a report with plots.",
            "Grid: {uniform, erma, fgls (linear)} x {proportional, va} loss/sampling policies, plus conflated-va."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--experiment", defaultValue = "linear-noise", paramLabel = "NAME",
            description = "An experiment, or 'all': ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = SimulateCommand.ExperimentNames.class)
    String experiment;

    @Option(names = "--examples", defaultValue = "100000", paramLabel = "N",
            description = "Examples per experiment, split evenly over its domains (default: ${DEFAULT-VALUE}).")
    long examples;

    @Option(names = "--out", defaultValue = "domainmix-demo", paramLabel = "DIR",
            description = "Where the report, plots and records go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka instead of starting one.")
    String bootstrapServers;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "With --bootstrap-servers: a Kafka client property for every client and job of the demo, "
                    + "e.g. security.protocol=SASL_SSL (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--dim", defaultValue = "20", paramLabel = "d", description = "Feature dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, θ* and the trainers (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--policies", paramLabel = "LIST",
            description = "Comma-separated LOSS+SAMPLING[:conflated] or conflated-SAMPLING instead of the grid.")
    String policies;

    @Option(names = "--concurrent-jobs", defaultValue = "2", paramLabel = "N",
            description = "Training jobs running at once (default: ${DEFAULT-VALUE}).")
    int concurrentJobs;

    @Option(names = "--web-ui-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the Flink web UI; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(names = "--plain", description = "Plain progress lines instead of a table redrawn in place.")
    boolean plain;

    /** Free space below which the demo does not start: broker logs, records and plots. */
    static final long MIN_FREE_BYTES = 512L * 1024 * 1024;

    private final PrintStream out;
    private final PrintStream err;
    private final List<ExperimentRun.Outcome> outcomes = new ArrayList<>();

    public DemoCommand() {
        this(System.out, System.err);
    }

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The finished experiments (for tests). */
    public List<ExperimentRun.Outcome> outcomes() {
        return outcomes;
    }

    @Override
    public Integer call() throws Exception {
        List<Experiment> experiments;
        try {
            experiments = experiments();
            if (examples < 1000) {
                throw new IllegalArgumentException("--examples must be at least 1000");
            }
            if (concurrentJobs < 1) {
                throw new IllegalArgumentException("--concurrent-jobs must be at least 1");
            }
            Files.createDirectories(outDir);
            checkFreeSpace(outDir);
        } catch (IllegalArgumentException | IOException e) {
            err.println("domainmix demo: " + e.getMessage());
            return 2;
        }
        // the demo reports progress and failures itself; Flink's warnings here are about the local setup
        // (no log file for the web UI, several jobs' Kafka clients in one JVM, long operator names)
        Configurator.setLevel("org.apache.flink", Level.ERROR);
        long start = System.nanoTime();
        EmbeddedKafkaBroker broker = null;
        LocalFlinkCluster cluster = null;
        Thread cleanup = null;
        try {
            KafkaConnection kafka;
            if (bootstrapServers != null) {
                kafka = new KafkaConnection(bootstrapServers, kafkaProperties);
                TopicContents.checkReachable(kafka, Duration.ofSeconds(15));
                out.println("Kafka:         " + kafka.bootstrapServers() + " (given)");
            } else {
                broker = EmbeddedKafkaBroker.start();
                kafka = KafkaConnection.of(broker.bootstrapServers());
                out.println("Kafka:         " + kafka.bootstrapServers() + " (embedded single-node KRaft broker, data in " + broker.directory() + ")");
            }
            cluster = LocalFlinkCluster.start(webUiPort, Math.max(4, 2 * concurrentJobs));
            out.println("Flink web UI:  " + cluster.webUi() + "  (open it to watch the jobs while the demo runs)");
            out.flush();
            EmbeddedKafkaBroker b = broker;
            LocalFlinkCluster c = cluster;
            cleanup = new Thread(() -> closeQuietly(c, b), "demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);

            String tag = "demo-" + UUID.randomUUID().toString().substring(0, 8);
            for (Experiment e : experiments) {
                Path dir = experiments.size() == 1 ? outDir : outDir.resolve(e.name());
                runExperiment(e, kafka, tag, dir, cluster);
            }
            out.printf(Locale.ROOT, "%nDone in %.0f s.%n", (System.nanoTime() - start) / 1e9);
            if (outcomes.size() > 1) { // one experiment's report was printed with its summary
                for (ExperimentRun.Outcome o : outcomes) {
                    out.println("Report: " + o.report().html().toAbsolutePath());
                }
            }
            boolean anyFailed = outcomes.stream().flatMap(o -> o.runs().stream()).anyMatch(r -> r.state() != PolicyRun.State.DONE);
            return anyFailed ? 1 : 0;
        } catch (TopicContents.UnreachableException | EmbeddedKafkaBroker.BrokerStartException e) {
            err.println("domainmix demo: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            err.println("domainmix demo: " + e.getMessage());
            return 2;
        } finally {
            if (cleanup != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running already
                }
            }
            closeQuietly(cluster, broker);
        }
    }

    private void runExperiment(Experiment e, KafkaConnection kafka, String tag, Path dir, LocalFlinkCluster cluster) throws Exception {
        List<PolicySpec> grid = policies != null ? PolicySpec.parseList(policies) : PolicySpec.defaultGrid(e.modelType());
        ExperimentRun run = new ExperimentRun(new ExperimentRun.Settings(e, examples, seed, grid, kafka, tag, dir,
                concurrentJobs, 1));
        out.printf(Locale.ROOT, "%n== %s: %s model, d = %d, domains %s%n", e.name(), e.modelType().optionName(),
                e.dimension(), describeDomains(e));
        long t0 = System.nanoTime();
        ProduceSummary produced = run.produce();
        out.printf(Locale.ROOT, "Produced %,d examples into %s in %.1f s (ground truth: %s)%n", produced.deliveredTotal(),
                String.join(", ", run.exampleTopics()), (System.nanoTime() - t0) / 1e9, run.truthFile());
        out.printf(Locale.ROOT, "Training %d policies on the same data, %d at a time:%n", grid.size(), concurrentJobs);
        out.flush();
        boolean ansi = !plain && System.console() != null && !"dumb".equals(System.getenv("TERM"));
        try (var watcher = new io.domainmix.cli.demo.LiveView(kafka, run, out, ansi)) {
            run.train(cluster);
        }
        Report.Result report = run.report();
        out.println();
        SummaryTable.print(report, run.runs(), out);
        out.println("Report: " + report.html().toAbsolutePath());
        out.flush();
        outcomes.add(new ExperimentRun.Outcome(run.runs(), report, produced));
    }

    private List<Experiment> experiments() {
        List<String> names = "all".equalsIgnoreCase(experiment) ? Experiment.paperNames() : List.of(experiment);
        List<Experiment> list = new ArrayList<>();
        for (String n : names) {
            list.add(Experiment.named(n, dim));
        }
        return list;
    }

    private static String describeDomains(Experiment e) {
        StringBuilder b = new StringBuilder();
        for (var d : e.domains()) {
            b.append(b.length() > 0 ? ", " : "").append(d.name()).append(" (C=").append(fmt(d.featureScale()));
            b.append(d.flipRate() > 0 ? ", flip=" + fmt(d.flipRate()) : ", σ²=" + fmt(d.noiseVariance())).append(')');
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    static void checkFreeSpace(Path dir) throws IOException {
        long free = Files.getFileStore(dir.toAbsolutePath()).getUsableSpace();
        if (free < MIN_FREE_BYTES) {
            throw new IOException("out of disk space: only " + free / (1024 * 1024) + " MB free in " + dir.toAbsolutePath()
                    + "; the demo needs about " + MIN_FREE_BYTES / (1024 * 1024) + " MB (or choose another --out)");
        }
    }

    private static void closeQuietly(LocalFlinkCluster cluster, EmbeddedKafkaBroker broker) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // stopping: nothing more to do
            }
        }
        if (broker != null) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                // stopping: the temporary directory is left for the system to clean
            }
        }
    }
}
