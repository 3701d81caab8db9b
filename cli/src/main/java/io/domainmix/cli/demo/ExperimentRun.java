package io.domainmix.cli.demo;

import io.domainmix.cli.KafkaConnection;
import io.domainmix.cli.report.Report;
import io.domainmix.cli.report.TruthDocument;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.producers.DomainPlan;
import io.domainmix.producers.ExampleProducer;
import io.domainmix.producers.ProduceSummary;
import io.domainmix.producers.SyntheticPlan;
import io.domainmix.producers.SyntheticProducer;
import io.domainmix.producers.TopicLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One experiment of the demo: its domains produced once into Kafka, the policy grid trained on
 * them as bounded Flink jobs (each run with its own run id and output topics), the records read
 * back and saved as JSON lines, and the report written.
 */
public final class ExperimentRun extends GridRun {

    /** What the demo was asked to do for one experiment. */
    public record Settings(Experiment experiment, long examples, long seed, List<PolicySpec> policies,
                           KafkaConnection kafka, String topicTag, Path outDir, int concurrentJobs,
                           int jobParallelism) {}

    /** The runs, and the report written from them. */
    public record Outcome(List<PolicyRun> runs, Report.Result report, ProduceSummary produced) {}

    private final Settings s;

    public ExperimentRun(Settings settings) {
        super(settings.topicTag() + "-" + settings.experiment().name(), settings.policies(),
                settings.kafka(), settings.outDir(), settings.seed(), settings.concurrentJobs(),
                settings.jobParallelism());
        this.s = settings;
    }

    @Override
    public List<String> domains() {
        return s.experiment().domains().stream().map(d -> d.name()).toList();
    }

    public Path truthFile() {
        return s.outDir().resolve("truth.json");
    }

    /** Writes the experiment's examples and its truth (file and topic) into Kafka. */
    public ProduceSummary produce() throws IOException {
        Experiment e = s.experiment();
        long perDomain = Math.max(1, s.examples() / e.domains().size());
        SyntheticPlan plan;
        if (e.changes()) {
            // one stream in the simulator's order, stamped in that order, so the job sees the change where it falls
            plan = SyntheticPlan.ofExperiment(e.name(), e.dimension(), s.seed(), 0, perDomain);
        } else {
            List<DomainPlan> plans = new ArrayList<>();
            for (var d : e.domains()) {
                plans.add(new DomainPlan(d, 0, perDomain, 0)); // rate 0: as fast as the broker takes them
            }
            plan = new SyntheticPlan(e.name(), e.modelType(), e.dimension(), s.seed(), plans);
        }
        Files.createDirectories(s.outDir());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream quiet = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            SyntheticProducer producer = new SyntheticProducer(plan, kafkaTarget(),
                    TopicLayout.perDomain(prefix, prefix + "-truth"), truthFile(), ExampleProducer.Output.quiet(quiet));
            producer.run();
            ProduceSummary summary = producer.summary();
            if (summary == null || !summary.succeeded()) {
                throw new IllegalStateException("producing the examples failed: "
                        + (summary == null ? log.toString(StandardCharsets.UTF_8) : summary.error()));
            }
            return summary;
        }
    }

    /** The example topics of the experiment's domains. */
    @Override
    public List<String> exampleTopics() {
        TopicLayout layout = TopicLayout.perDomain(prefix, prefix + "-truth");
        return domains().stream().map(layout::topicFor).toList();
    }

    /** Examples per domain times domains: what every run will see. */
    @Override
    public long totalExamples() {
        int k = s.experiment().domains().size();
        return Math.max(1, s.examples() / k) * k;
    }

    /**
     * Reads every run's snapshot and metrics topics, saves them as JSON lines under
     * {@code records/} (so that {@code domainmix report} can redo the report offline), and writes
     * the report.
     */
    public Report.Result report() throws IOException {
        return Report.write(readRecords().runs(), TruthDocument.read(truthFile()), s.outDir(), s.experiment().name());
    }

    @Override
    List<String> modelArguments() {
        Experiment e = s.experiment();
        return List.of("--model", e.modelType().optionName(), "--dim", String.valueOf(e.dimension()),
                "--intercept", String.valueOf(e.intercept()));
    }
}
