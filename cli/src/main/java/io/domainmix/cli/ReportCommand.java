package io.domainmix.cli;

import io.domainmix.cli.report.HoldoutReport;
import io.domainmix.cli.report.HoldoutSummary;
import io.domainmix.cli.report.RecordReader;
import io.domainmix.cli.report.Report;
import io.domainmix.cli.report.RunRecords;
import io.domainmix.cli.report.TopicContents;
import io.domainmix.cli.report.TruthDocument;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.producers.file.DataSplitFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domainmix report}: plots and a summary from the job's snapshot and metrics records. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write report.html (self-contained) and PNG plots from snapshot and metrics records and either the ground",
            "truth (--truth, synthetic data) or held-out rows (--holdout, your own data: see `produce file --holdout`).",
            "Each source is a JSON-lines file saved from a topic, or, with --bootstrap-servers, a Kafka topic.",
            "Records of several runs may share a file or topic; they are told apart by their run id."
        })
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--snapshots", paramLabel = "FILE|TOPIC", description = "Snapshot records (repeatable).")
    List<String> snapshots = new ArrayList<>();

    @Option(names = "--metrics", paramLabel = "FILE|TOPIC", description = "Metrics records (repeatable).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--truth", paramLabel = "FILE|TOPIC",
            description = "The ground truth: the truth file or topic of `domainmix produce synthetic`.")
    String truth;

    @Option(names = "--holdout", paramLabel = "DIR|FILE",
            description = "Held-out rows: the split directory of `produce file --holdout` (its holdout.jsonl and "
                    + "training.jsonl), or a JSON-lines file of examples.")
    Path holdout;

    @Option(names = "--training", paramLabel = "FILE",
            description = "The rows the runs were trained on, for the offline reference fits (default: training.jsonl "
                    + "beside the held-out rows).")
    Path training;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka to read topics from (sources that are not files are topic names).")
    String bootstrapServers;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka client property, e.g. security.protocol=SASL_SSL (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--out", defaultValue = "domainmix-report", paramLabel = "DIR",
            description = "Directory for report.html, report.json and the plots (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT", description = "Heading of the report (default: the experiment's name).")
    String title;

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Integer call() throws Exception {
        if (snapshots.isEmpty() && metrics.isEmpty()) {
            System.err.println("domainmix report: give at least one --snapshots or --metrics source");
            return 2;
        }
        if ((truth == null) == (holdout == null)) {
            System.err.println("domainmix report: give either --truth (synthetic data) or --holdout (held-out rows of your own data)");
            return 2;
        }
        try {
            if (bootstrapServers != null) {
                TopicContents.checkReachable(kafka(), Duration.ofSeconds(10));
            }
            RecordReader reader = new RecordReader();
            List<String> sources = new ArrayList<>(snapshots);
            sources.addAll(metrics);
            for (String s : sources) {
                Path file = Path.of(s);
                if (Files.isRegularFile(file)) {
                    reader.readFile(file);
                } else {
                    reader.readValues(TopicContents.values(requireKafka(s), s, KAFKA_TIMEOUT));
                }
            }
            List<RunRecords> runs = inGridOrder(reader.runs());
            Path html;
            if (holdout != null) {
                html = holdoutReport(runs);
            } else {
                TruthDocument t = readTruth(truth);
                html = Report.write(runs, t, out, title != null ? title : t.name()).html();
            }
            System.out.printf(Locale.ROOT, "%d runs, %d snapshots, %d metrics records (%d other records skipped)%n",
                    runs.size(), reader.snapshotCount(), reader.metricsCount(), reader.skippedCount());
            System.out.println("report: " + html.toAbsolutePath());
            return 0;
        } catch (TopicContents.UnreachableException | IllegalArgumentException e) {
            System.err.println("domainmix report: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Runs of the policy grid in the grid's order (so that colours and rows match the demo's
     * reports whatever order the sources were given in), other runs after them as read.
     */
    static List<RunRecords> inGridOrder(List<RunRecords> runs) {
        List<String> grid = PolicySpec.defaultGrid(ModelType.LINEAR).stream().map(PolicySpec::name).toList();
        List<RunRecords> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingInt(r -> {
            int i = grid.indexOf(r.label());
            return i < 0 ? grid.size() : i;
        }));
        return sorted;
    }

    private Path holdoutReport(List<RunRecords> runs) throws IOException {
        Path held = Files.isDirectory(holdout) ? holdout.resolve(DataSplitFiles.HOLDOUT) : holdout;
        Path trained = training != null ? training : held.resolveSibling(DataSplitFiles.TRAINING);
        for (Path p : List.of(held, trained)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such file: " + p + (p == trained && training == null
                        ? " (give the training rows with --training)" : ""));
            }
        }
        HoldoutReport.Result r = HoldoutReport.write(runs, DataSplitFiles.readExamples(trained),
                DataSplitFiles.readExamples(held), out, title != null ? title : held.getFileName().toString());
        HoldoutSummary.print(r.evaluation(), System.out);
        return r.html();
    }

    private KafkaConnection requireKafka(String source) {
        if (bootstrapServers == null) {
            throw new IllegalArgumentException("no such file: " + source
                    + " (to read a Kafka topic of that name, give --bootstrap-servers)");
        }
        return kafka();
    }

    private KafkaConnection kafka() {
        return new KafkaConnection(bootstrapServers, kafkaProperties);
    }

    private TruthDocument readTruth(String source) throws IOException {
        Path file = Path.of(source);
        if (Files.isRegularFile(file)) {
            return TruthDocument.read(file);
        }
        List<byte[]> values = TopicContents.values(requireKafka(source), source, KAFKA_TIMEOUT);
        for (int i = values.size() - 1; i >= 0; i--) {
            try {
                return TruthDocument.parse(values.get(i), "topic " + source);
            } catch (IOException | IllegalArgumentException e) {
                // not a truth document: keep looking at older records
            }
        }
        throw new IllegalArgumentException("topic '" + source + "' holds no truth document");
    }
}
