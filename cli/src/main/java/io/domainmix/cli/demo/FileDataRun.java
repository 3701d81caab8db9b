package io.domainmix.cli.demo;

import io.domainmix.cli.KafkaConnection;
import io.domainmix.cli.report.HoldoutReport;
import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.producers.ExampleProducer;
import io.domainmix.producers.FileReplayProducer;
import io.domainmix.producers.ProduceSummary;
import io.domainmix.producers.TopicLayout;
import io.domainmix.producers.file.DataSplitFiles;
import io.domainmix.producers.file.FileExamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The demo on the user's own file: its rows split per domain into training and held-out rows,
 * the training rows replayed into one topic per domain (shuffled, so that the topics hold the
 * domains' mixture in time), the policy grid trained on them with an intercept, and the report
 * judged on the held-out rows against the offline reference fits.
 */
public final class FileDataRun extends GridRun {
    /** What the demo was asked to do with the file. */
    public record Settings(FileExamples.Options data, ModelType model, List<PolicySpec> policies,
                           KafkaConnection kafka, String topicTag, Path outDir, long seed, int concurrentJobs,
                           int jobParallelism) {}

    /** The runs, and the report written from them. */
    public record Outcome(List<PolicyRun> runs, HoldoutReport.Result report, ProduceSummary produced) {}

    private final Settings s;
    private final TopicLayout layout;
    private List<Example> training;
    private List<Example> holdout;
    private List<String> domains;

    public FileDataRun(Settings settings) {
        super(settings.topicTag() + "-data", settings.policies(), settings.kafka(), settings.outDir(),
                settings.seed(), settings.concurrentJobs(), settings.jobParallelism());
        this.s = settings;
        this.layout = TopicLayout.perDomain(prefix, null);
    }

    /** Where the training rows, the held-out rows and the encoding are written. */
    public Path splitDir() {
        return s.outDir().resolve("split");
    }

    /** Splits the file and replays its training rows into Kafka. */
    public ProduceSummary produce() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream quiet = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            FileReplayProducer producer = new FileReplayProducer(s.data(), kafkaTarget(), layout,
                    0, 0, s.outDir().resolve("skipped-lines.txt"), ExampleProducer.Output.quiet(quiet));
            producer.writeSplitTo(splitDir());
            producer.run();
            ProduceSummary summary = producer.summary();
            if (summary == null || !summary.succeeded()) {
                throw new IllegalStateException("replaying " + s.data().file.getFileName() + " failed: "
                        + (summary == null ? log.toString(StandardCharsets.UTF_8) : summary.error()));
            }
            training = DataSplitFiles.readExamples(splitDir().resolve(DataSplitFiles.TRAINING));
            holdout = DataSplitFiles.readExamples(splitDir().resolve(DataSplitFiles.HOLDOUT));
            if (training.isEmpty() || holdout.isEmpty()) {
                throw new IllegalStateException(s.data().file.getFileName() + ": " + training.size()
                        + " training and " + holdout.size() + " held-out rows: too few to train and evaluate"
                        + " (see " + s.outDir().resolve("skipped-lines.txt") + ")");
            }
            TreeSet<String> names = new TreeSet<>();
            training.forEach(e -> names.add(e.domain));
            domains = List.copyOf(names);
            return summary;
        }
    }

    @Override
    public List<String> domains() {
        return domains;
    }

    @Override
    public List<String> exampleTopics() {
        return domains.stream().map(layout::topicFor).toList();
    }

    @Override
    public long totalExamples() {
        return training.size();
    }

    /** Features per row after encoding (numeric features, then one-hot columns). */
    public int dimension() {
        return training.get(0).x.length;
    }

    public int holdoutRows() {
        return holdout.size();
    }

    @Override
    List<String> modelArguments() {
        return List.of("--model", s.model().optionName(), "--dim", String.valueOf(dimension()), "--intercept", "true");
    }

    /** Reads the runs' records back and writes the held-out report. */
    public HoldoutReport.Result report() throws IOException {
        return HoldoutReport.write(readRecords().runs(), training, holdout, s.outDir(),
                s.data().file.getFileName().toString());
    }
}
