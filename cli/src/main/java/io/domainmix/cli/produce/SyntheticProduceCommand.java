package io.domainmix.cli.produce;

import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.Experiment;
import io.domainmix.producers.DomainPlan;
import io.domainmix.producers.SyntheticPlan;
import io.domainmix.producers.SyntheticProducer;
import io.domainmix.producers.TopicLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code domainmix produce synthetic}: the paper's settings, or domains of your own. */
@Command(name = "synthetic",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Produce synthetic domains: x ~ N(0, C I), y = f*(x) + N(0, sigma^2) (or a label flipped with "
            + "probability q for --model logistic), each domain at its own rate, from its delay until its count. "
            + "The ground truth goes to a JSON file and to the truth topic before the first example.",
            "",
            "Examples:",
            "  domainmix produce synthetic --experiment linear-noise --rate 500 --count 20000",
            "  domainmix produce synthetic --domain name=a,scale=1,noise=1 --domain name=b,noise=20,rate=200,delay=30",
            "  domainmix produce synthetic --spec domains.yaml --seed 7",
            "  domainmix produce synthetic --many-domains 1000 --count 200 --rate 0 --topic examples --partitions 8",
            ""})
public final class SyntheticProduceCommand implements Callable<Integer> {
    /** Domains listed one by one at the start; thousands of lines would bury everything else. */
    private static final int LISTED_DOMAINS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "A named setting of the paper: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ExperimentNames.class)
    String experiment;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "A YAML or JSON file: experiment, model, dimension, seed, rate, count, domains: [{name, scale, noise, flip, rate, count, delay}].")
    Path specFile;

    @Option(names = {"-d", "--domain"}, paramLabel = "name=N,scale=C,noise=S2,flip=Q,rate=R,count=K,delay=SEC",
            description = "A domain (repeatable). With --experiment or --spec, one with the same name changes that domain's given keys.")
    List<String> domains = new ArrayList<>();

    @Option(names = "--many-domains", paramLabel = "K",
            description = "K domains d1..dK, x ~ N(0, I), label-noise variances cycling through six levels from 0.5 to 20 "
                    + "(0.5, 1.05, 2.19, 4.57, 9.56, 20); with --topic, all in one shared topic.")
    Integer manyDomains;

    @Option(names = "--model", paramLabel = "KIND", defaultValue = "linear",
            description = "Label model for --domain-only runs: linear, logistic or mlp (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dim", paramLabel = "D", defaultValue = "" + Experiment.DEFAULT_DIMENSION,
            description = "Feature dimension (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the ground truth and of every domain's stream (default: 42, or the spec file's).")
    Long seed;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "" + DomainPlan.DEFAULT_RATE,
            description = "Default examples per second of each domain; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", paramLabel = "N", defaultValue = "" + DomainPlan.DEFAULT_COUNT,
            description = "Default examples per domain; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--name", paramLabel = "RUN",
            description = "Run name: the truth record's key (default: the experiment's or spec file's name, else 'custom').")
    String name;

    @Option(names = "--truth-file", paramLabel = "FILE",
            description = "Where to write the ground truth (default: <run>-truth.json in the current directory).")
    Path truthFile;

    @Option(names = "--no-truth-file", description = "Do not write the ground truth to a file.")
    boolean noTruthFile;

    @Option(names = "--truth-topic", paramLabel = "TOPIC",
            description = "Topic of the ground truth (default: <prefix>-truth).")
    String truthTopic;

    @Option(names = "--no-truth-topic", description = "Do not write the ground truth to Kafka.")
    boolean noTruthTopic;

    @Mixin
    KafkaOptions kafka;

    static final class ExperimentNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ExperimentNames() {
            super(Experiment.names());
        }
    }

    @Override
    public Integer call() throws Exception {
        SyntheticPlan plan;
        long defaultSeed = 42;
        try {
            if (experiment != null && specFile != null) {
                throw new IllegalArgumentException("give --experiment or --spec, not both (a spec file may name an experiment)");
            }
            if (manyDomains != null && (experiment != null || specFile != null)) {
                throw new IllegalArgumentException("give --many-domains alone, not with --experiment or --spec");
            }
            if (manyDomains != null) {
                plan = SyntheticPlan.ofNoiseLevels("many-domains-" + manyDomains, ModelType.parse(model), dimension,
                        seed != null ? seed : defaultSeed, manyDomains, rate, count).withDomainOptions(domains, rate, count);
            } else if (specFile != null) {
                plan = SyntheticPlan.fromFile(specFile, seed, defaultSeed, dimension, rate, count)
                        .withDomainOptions(domains, rate, count);
            } else if (experiment != null) {
                plan = SyntheticPlan.ofExperiment(experiment, dimension, seed != null ? seed : defaultSeed, rate, count)
                        .withDomainOptions(domains, rate, count);
            } else if (!domains.isEmpty()) {
                plan = SyntheticPlan.ofDomainOptions("custom", ModelType.parse(model), dimension,
                        seed != null ? seed : defaultSeed, domains, rate, count);
            } else {
                throw new IllegalArgumentException("say what to produce: --experiment NAME, --spec FILE or --domain ...");
            }
            if (name != null) {
                plan = new SyntheticPlan(name, plan.modelType(), plan.dimension(), plan.seed(), plan.domains());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String truthTopicName = noTruthTopic ? null
                : truthTopic != null ? truthTopic : TopicLayout.defaultTruthTopic(kafka.topicPrefix);
        TopicLayout layout;
        try {
            layout = kafka.layout(truthTopicName);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path truth = noTruthFile ? null : truthFile != null ? truthFile : Path.of(plan.name() + "-truth.json");
        System.err.println("producing " + plan.name() + " (" + plan.modelType().optionName() + ", d=" + plan.dimension()
                + ", seed " + plan.seed() + ") to " + kafka.bootstrapServers + ":");
        int listed = 0;
        for (DomainPlan d : plan.domains()) {
            if (listed++ == LISTED_DOMAINS) {
                System.err.println("  ... and " + (plan.domains().size() - LISTED_DOMAINS) + " more domains");
                break;
            }
            System.err.println("  " + d + " -> " + layout.topicFor(d.name()));
        }
        if (truth != null || truthTopicName != null) {
            System.err.println("  ground truth -> " + (truth != null ? truth : "")
                    + (truth != null && truthTopicName != null ? " and " : "") + (truthTopicName != null ? "topic " + truthTopicName : ""));
        }
        return ProducerRun.execute(new SyntheticProducer(plan, kafka.target(), layout, truth, kafka.output()));
    }
}
