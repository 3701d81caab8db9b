package io.domainmix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationReport;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.Experiment;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domainmix simulate}: the reference simulator, no Kafka or Flink. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the whole online algorithm in one thread on a synthetic experiment and compare policies.",
            "Every policy sees the same data for a given seed."
        })
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--experiment", defaultValue = "linear-noise", paramLabel = "NAME",
            description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ExperimentNames.class)
    String experiment;

    @Option(names = "--examples", defaultValue = "200000", description = "Arrivals per seed (default: ${DEFAULT-VALUE}).")
    long examples;

    @Option(names = "--seeds", defaultValue = "5", description = "Seeds to average over (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "First seed (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--steps-per-arrival", defaultValue = "1.0", paramLabel = "r",
            description = "SGD steps per arrival (default: ${DEFAULT-VALUE}).")
    double stepsPerArrival;

    @Option(names = "--batch-size", defaultValue = "1", paramLabel = "B", description = "Slots per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--slot-draws", defaultValue = "stratified", paramLabel = "HOW", converter = SlotDrawsConverter.class,
            description = "How a step's B slots pick their domains, as the job's option: stratified (floor(B p_k) slots "
                    + "for domain k, the rest by systematic sampling) or independent (default: ${DEFAULT-VALUE}).")
    io.domainmix.core.train.SlotDraws slotDraws;

    @Option(names = "--dim", paramLabel = "d",
            description = "Feature dimension (default: the experiment's: 2 for offset-noise, 20 for the others).")
    Integer dim;

    @Option(names = "--policies", paramLabel = "LIST",
            description = "Comma-separated LOSS+SAMPLING[:conflated] or conflated-SAMPLING "
                    + "(default: {uniform, erma, fgls where linear} x {proportional, va}, plus conflated-va).")
    String policies;

    @Option(names = "--step-size", paramLabel = "ETA", description = "A fixed step size instead of the automatic rule.")
    Double stepSize;

    @Option(names = "--buffer-capacity", defaultValue = "4096", paramLabel = "R",
            description = "The most of its newest examples one domain keeps (default: ${DEFAULT-VALUE}).")
    int bufferCapacity;

    @Option(names = "--stats-window", paramLabel = "N",
            description = "Longest window of the per-domain loss and gradient means, as the job's option (default: "
                    + io.domainmix.core.train.TrainerSettings.DEFAULT_STATS_WINDOW_MAX + ").")
    Long statsWindow;

    @Option(names = "--erma-reference", paramLabel = "REF", converter = ErmaReferenceConverter.class,
            description = "What ERMA scores arrivals under, as the job's option: ${COMPLETION-CANDIDATES} "
                    + "(default: the model's, see the README).", completionCandidates = ErmaReferenceNames.class)
    io.domainmix.core.train.ErmaReference ermaReference;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads over seeds (default: the number of cores).")
    Integer threads;

    @Option(names = "--policy-parameter", paramLabel = "NAME=VALUE",
            description = "A policy's own parameter, named as the job's option, e.g. temperature=3 or fgls-half-life=5000 "
                    + "(repeatable; every policy of the grid that has it uses it).")
    java.util.Map<String, String> policyParameters = new java.util.TreeMap<>();

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    static final class ExperimentNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Experiment.names().iterator();
        }
    }

    static final class ErmaReferenceNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(io.domainmix.core.train.ErmaReference.values())
                    .map(io.domainmix.core.train.ErmaReference::optionName).iterator();
        }
    }

    static final class ErmaReferenceConverter implements picocli.CommandLine.ITypeConverter<io.domainmix.core.train.ErmaReference> {
        @Override
        public io.domainmix.core.train.ErmaReference convert(String value) {
            return io.domainmix.core.train.ErmaReference.parse(value);
        }
    }

    static final class SlotDrawsConverter implements picocli.CommandLine.ITypeConverter<io.domainmix.core.train.SlotDraws> {
        @Override
        public io.domainmix.core.train.SlotDraws convert(String value) {
            return io.domainmix.core.train.SlotDraws.parse(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        Experiment exp = Experiment.named(experiment, dim != null ? dim : Experiment.defaultDimension(experiment));
        SimulationSettings s = new SimulationSettings();
        s.examples = examples;
        s.seeds = seeds;
        s.firstSeed = firstSeed;
        s.stepsPerArrival = stepsPerArrival;
        s.batchSize = batchSize;
        s.slotDraws = slotDraws;
        s.bufferCapacity = bufferCapacity;
        if (stepSize != null) {
            s.stepSize = stepSize;
        }
        if (threads != null) {
            s.threads = threads;
        }
        if (statsWindow != null) {
            s.statsWindowMax = statsWindow;
        }
        if (ermaReference != null) {
            s.ermaReference = ermaReference;
        }
        s.policyParameters = policyParameters;
        List<PolicySpec> grid = policies == null ? PolicySpec.defaultGrid(exp.modelType()) : PolicySpec.parseList(policies);
        long start = System.nanoTime();
        SimulationReport report = Simulator.run(exp, s, grid);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(mapper.writeValueAsString(report));
        } else {
            printTable(report, System.out);
            System.out.printf(Locale.ROOT, "%n%d seeds x %d examples in %.1f s%n", seeds, examples, seconds);
        }
        return 0;
    }

    static void printTable(SimulationReport r, PrintStream out) {
        out.printf(Locale.ROOT, "experiment %s, %d examples, %d seeds, r = %s, domains %s%n", r.experiment, r.examples,
                r.seeds, r.stepsPerArrival, r.domains);
        if (r.oracle.glsError != null) {
            out.printf(Locale.ROOT, "oracle: GLS error %.4f, OLS error %.4f (ratio %.2f)%n", r.oracle.glsError,
                    r.oracle.olsError, r.oracle.olsError / r.oracle.glsError);
        }
        out.printf(Locale.ROOT, "%-28s %10s %8s %9s %10s %11s %11s  %-16s %-16s%n", "policy", "error", "sd", "cos.dist",
                "held-out", "grad.noise", "predicted", "lambda", "p");
        for (SimulationReport.PolicyResult p : r.results) {
            out.printf(Locale.ROOT, "%-28s %10s %8s %9s %10s %11s %11s  %-16s %-16s%n", p.policy, fmt(p.error), fmt(p.errorSd),
                    fmt(p.cosineDistance), fmt(p.heldOutLoss), fmt(p.gradientNoise), fmt(p.predictedGradientNoise),
                    list(p.finalLossWeights), list(p.finalSamplingProbs));
        }
        printAdaptation(r, out);
    }

    /** With a change point: each policy's adaptation lag and last-quarter errors against the oracle. */
    static void printAdaptation(SimulationReport r, PrintStream out) {
        SimulationReport.Adaptation first = r.results.stream().map(p -> p.adaptation).filter(a -> a != null)
                .findFirst().orElse(null);
        if (first == null) {
            return;
        }
        out.printf(Locale.ROOT, "%nadaptation of %s after the change at example %d: examples of %s until lambda is within "
                        + "%.0f%% of %s and p within %.2f of %s (and stay there); 'never' = not on every seed%n",
                first.domain, first.changeAtExample, first.domain, first.lossWeight.tolerance * 100,
                fmt(first.lossWeight.target), first.sampling.tolerance, fmt(first.sampling.target));
        if (r.oracle.lastQuarterGlsError != null) {
            out.printf(Locale.ROOT, "oracle: GLS knowing the change, mean error over the last quarter %.4f%n",
                    r.oracle.lastQuarterGlsError);
        }
        out.printf(Locale.ROOT, "%-28s %12s %12s %14s %14s %14s %12s  %s%n", "policy", "lambda lag", "p lag", "lambda err(LQ)",
                "p err(LQ)", "error(LQ)", "event lag", "first event after the change (events before it)");
        for (SimulationReport.PolicyResult p : r.results) {
            if (p.adaptation == null) {
                continue;
            }
            SimulationReport.HealthAfterChange h = p.adaptation.healthEvent;
            out.printf(Locale.ROOT, "%-28s %12s %12s %14s %14s %14s %12s  %s (%s)%n", p.policy, lag(p.adaptation.lossWeight),
                    lag(p.adaptation.sampling), fmt(p.adaptation.lossWeight.lastQuarterError),
                    fmt(p.adaptation.sampling.lastQuarterError), fmt(p.adaptation.lastQuarterError),
                    h.fired ? String.format(Locale.ROOT, "%.0f", h.examples) : "none (" + h.firedSeeds + "/" + h.perSeed.size() + ")",
                    h.firstEvents.get(0), fmt(h.falseAlarms));
        }
    }

    private static String lag(SimulationReport.WeightAdaptation w) {
        return w.adapted ? String.format(Locale.ROOT, "%.0f", w.adaptationExamples)
                : "never" + (w.adaptedSeeds > 0 ? " (" + w.adaptedSeeds + "/" + w.perSeed.size() + ")" : "");
    }

    private static String fmt(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String list(List<Double> v) {
        if (v.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.size(); i++) {
            b.append(i > 0 ? ", " : "").append(v.get(i) == null ? "-" : String.format(Locale.ROOT, "%.3f", v.get(i)));
        }
        return b.append(')').toString();
    }
}
