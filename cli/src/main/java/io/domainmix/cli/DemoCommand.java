package io.domainmix.cli;

import io.domainmix.cli.broker.EmbeddedKafkaBroker;
import io.domainmix.cli.demo.ExperimentRun;
import io.domainmix.cli.demo.FileDataRun;
import io.domainmix.cli.demo.LocalFlinkCluster;
import io.domainmix.cli.demo.PolicyRun;
import io.domainmix.cli.demo.SummaryTable;
import io.domainmix.cli.produce.FileColumnOptions;
import io.domainmix.cli.report.HoldoutReport;
import io.domainmix.cli.report.HoldoutSummary;
import io.domainmix.cli.report.Report;
import io.domainmix.cli.report.TopicContents;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.producers.ProduceSummary;
import io.domainmix.producers.file.FileExamples;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code domainmix demo}: the whole system on one machine, from examples in Kafka to a report. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Start a Kafka broker and a Flink cluster on 127.0.0.1, produce a synthetic experiment's domains once,",
            "train the policy grid on the identical data as Flink jobs, and write a report with plots.",
            "Grid: {uniform, erma, fgls (linear)} x {proportional, va} loss/sampling policies, plus conflated-va.",
            "With --data FILE the same on your own file: a held-out part of each domain is kept back, the rest",
            "replayed, and the report compares each run's held-out loss with offline OLS/FGLS (or MLE) fits."
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

    @Option(names = "--data", paramLabel = "FILE",
            description = "Run the grid on this CSV, JSON-lines or JSON-array file instead of a synthetic experiment.")
    Path data;







    @Mixin
    FileColumnOptions columns;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "linear",
            description = "With --data: linear or logistic (labels 0/1), with an intercept (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--holdout", paramLabel = "F", defaultValue = "0.2",
            description = "With --data: the fraction of each domain held out for evaluation (default: ${DEFAULT-VALUE}).")
    double holdout;

    /** Free space below which the demo does not start: broker logs, records and plots. */
    static final long MIN_FREE_BYTES = 512L * 1024 * 1024;

    private final PrintStream out;
    private final PrintStream err;
    private final List<ExperimentRun.Outcome> outcomes = new ArrayList<>();
    private final List<FileDataRun.Outcome> dataOutcomes = new ArrayList<>();

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

    /** The finished runs on a data file (for tests). */
    public List<FileDataRun.Outcome> dataOutcomes() {
        return dataOutcomes;
    }

    @Override
    public Integer call() throws Exception {
        List<Experiment> experiments;
        FileDataRun.Settings dataSettings = null;
        try {
            experiments = data != null ? List.of() : experiments();
            if (examples < 1000) {
                throw new IllegalArgumentException("--examples must be at least 1000");
            }
            if (concurrentJobs < 1) {
                throw new IllegalArgumentException("--concurrent-jobs must be at least 1");
            }
            if (data != null) {
                dataSettings = dataSettings();
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
            if (dataSettings != null) {
                runData(dataSettings, kafka, tag, cluster);
            }
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
            boolean anyFailed = outcomes.stream().flatMap(o -> o.runs().stream()).anyMatch(r -> r.state() != PolicyRun.State.DONE)
                    || dataOutcomes.stream().flatMap(o -> o.runs().stream()).anyMatch(r -> r.state() != PolicyRun.State.DONE);
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

    /** The file, its columns and the model, checked before anything starts. */
    private FileDataRun.Settings dataSettings() throws IOException {
        if (!Files.isReadable(data)) {
            throw new IllegalArgumentException("cannot read " + data);
        }
        if (columns.labelColumn == null) {
            throw new IllegalArgumentException("--data needs --label-column");
        }
        if (columns.domainColumn == null) {
            throw new IllegalArgumentException("--data needs --domain-column (the column that names each row's source)");
        }
        if (!(holdout > 0 && holdout < 1)) {
            throw new IllegalArgumentException("--holdout must be above 0 and below 1: " + holdout);
        }
        ModelType type = ModelType.parse(model);
        if (type == ModelType.MLP) {
            throw new IllegalArgumentException("--model for --data: linear or logistic (the offline reference fits exist for these)");
        }
        FileExamples.Options o = new FileExamples.Options();
        o.file = data;
        columns.applyTo(o);
        // SGD's step size follows E‖x‖²: features on one scale train alike; one-hot columns stay 0/1
        o.standardize = true;
        o.shuffleSeed = seed;
        o.holdoutFraction = holdout;
        o.holdoutSeed = seed;
        new FileExamples(o).mapping(); // unknown columns are a usage error, before anything starts
        List<PolicySpec> grid = policies != null ? PolicySpec.parseList(policies) : PolicySpec.defaultGrid(type);
        return new FileDataRun.Settings(o, type, grid, null, null, outDir, seed, concurrentJobs, 1);
    }

    private void runData(FileDataRun.Settings given, KafkaConnection kafka, String tag, LocalFlinkCluster cluster) throws Exception {
        FileDataRun run = new FileDataRun(new FileDataRun.Settings(given.data(), given.model(), given.policies(), kafka,
                tag, given.outDir(), given.seed(), given.concurrentJobs(), given.jobParallelism()));
        out.printf(Locale.ROOT, "%n== %s: %s model with an intercept, domain column %s, label %s%n", data.getFileName(),
                given.model().optionName(), columns.domainColumn, columns.labelColumn);
        long t0 = System.nanoTime();
        ProduceSummary produced = run.produce();
        out.printf(Locale.ROOT, "Replayed %,d training rows of %d domains (%s), d = %d, into %s in %.1f s; held out %,d rows "
                        + "(%.0f %% of each domain) in %s%n", produced.deliveredTotal(), run.domains().size(),
                String.join(", ", run.domains()), run.dimension(), String.join(", ", run.exampleTopics()),
                (System.nanoTime() - t0) / 1e9, run.holdoutRows(), 100 * holdout, run.splitDir());
        if (produced.skippedTotal() > 0) {
            out.printf(Locale.ROOT, "Skipped %,d rows %s (each with its line in %s)%n", produced.skippedTotal(),
                    produced.skippedByReason(), outDir.resolve("skipped-lines.txt"));
        }
        out.printf(Locale.ROOT, "Training %d policies on the same data, %d at a time:%n", given.policies().size(),
                concurrentJobs);
        out.flush();
        boolean ansi = !plain && System.console() != null && !"dumb".equals(System.getenv("TERM"));
        try (var watcher = new io.domainmix.cli.demo.LiveView(kafka, run, out, ansi)) {
            run.train(cluster);
        }
        HoldoutReport.Result report = run.report();
        out.println();
        HoldoutSummary.print(report.evaluation(), out);
        out.println("Report: " + report.html().toAbsolutePath());
        out.flush();
        dataOutcomes.add(new FileDataRun.Outcome(run.runs(), report, produced));
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
            b.append(d.flipRate() > 0 ? ", flip=" + fmt(d.flipRate()) : ", σ²=" + fmt(d.noiseVariance()));
            if (d.hasNoiseChange()) {
                b.append(" → ").append(fmt(d.noiseVarianceAfterChange())).append(" at ").append(percent(d.noiseChangesAt()));
            }
            if (d.startsAt() > 0) {
                b.append(", from ").append(percent(d.startsAt()));
            }
            if (d.stopsAt() < 1) {
                b.append(", until ").append(percent(d.stopsAt()));
            }
            b.append(')');
        }
        return b.toString();
    }

    private static String percent(double fraction) {
        return Math.round(100 * fraction) + "% of the stream";
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
