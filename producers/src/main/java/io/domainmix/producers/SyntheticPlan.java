package io.domainmix.producers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A complete synthetic run: the model family and dimension that define the ground truth, the
 * seed, and one {@link DomainPlan} per domain. Built from a named experiment, a spec file, or
 * {@code --domain} options (which also override an experiment's or a file's domains by name).
 *
 * <p>Everything generated is a function of (plan, seed): each domain draws from its own stream
 * (seeded from the run seed and the domain name), so the examples of a domain do not depend on
 * the rates, delays or interleaving of the others.
 */
public final class SyntheticPlan {
    private final String name;
    private final ModelType modelType;
    private final int dimension;
    private final long seed;
    private final List<DomainPlan> domains;

    public SyntheticPlan(String name, ModelType modelType, int dimension, long seed, List<DomainPlan> domains) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("a synthetic run needs at least one domain");
        }
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0: " + dimension);
        }
        Map<String, DomainPlan> seen = new LinkedHashMap<>();
        for (DomainPlan d : domains) {
            if (seen.put(d.name(), d) != null) {
                throw new IllegalArgumentException("domain '" + d.name() + "' is given twice");
            }
            if (modelType != ModelType.LOGISTIC && d.spec().flipRate() > 0) {
                throw new IllegalArgumentException("domain '" + d.name() + "' sets flip=" + d.spec().flipRate()
                        + " but label flips need --model logistic");
            }
        }
        this.name = name;
        this.modelType = modelType;
        this.dimension = dimension;
        this.seed = seed;
        this.domains = List.copyOf(domains);
    }

    /** A named experiment of ALGORITHMS.md §7, each domain with the given schedule. */
    public static SyntheticPlan ofExperiment(String experiment, int dimension, long seed, double rate, long count) {
        Experiment e = Experiment.named(experiment, dimension);
        List<DomainPlan> plans = new ArrayList<>();
        if (e.changes()) {
            // a stream of count × K examples in the simulator's order: each domain's count is
            // what that stream holds of it (the arrival draws do not depend on the examples)
            if (count <= 0) {
                throw new IllegalArgumentException("experiment " + e.name() + " changes at fractions of its stream: "
                        + "give --count > 0 (examples per domain; the stream has count x " + e.domains().size() + ")");
            }
            long length = count * e.domains().size();
            Experiment.Arrivals order = e.arrivals(e.groundTruth(seed), seed, length);
            long[] counts = new long[e.domains().size()];
            for (long i = 0; i < length; i++) {
                counts[order.nextDomain()]++;
            }
            for (int k = 0; k < counts.length; k++) {
                plans.add(new DomainPlan(e.domains().get(k), rate, counts[k], 0.0));
            }
            return new SyntheticPlan(e.name(), e.modelType(), dimension, seed, plans);
        }
        for (DomainSpec d : e.domains()) {
            plans.add(new DomainPlan(d, rate, count, 0.0));
        }
        return new SyntheticPlan(e.name(), e.modelType(), dimension, seed, plans);
    }

    /** Whether a domain appears, stops or changes its noise within the stream (produced in stream order). */
    public boolean changes() {
        return domains.stream().anyMatch(d -> d.spec().changes());
    }

    /**
     * The examples per second of a stream with a change: each domain's rate times the number of
     * domains, so that each domain arrives at about its rate while all do (0: unpaced).
     */
    public double streamRate() {
        double rate = domains.get(0).rate();
        return rate * domains.size();
    }

    /**
     * Reads a spec file, JSON or YAML:
     *
     * <pre>
     * experiment: linear-noise     # optional: start from a named setting
     * model: linear                # linear | logistic | mlp (default linear, or the experiment's)
     * dimension: 20
     * seed: 7                      # optional; the command line's --seed wins when given
     * rate: 1000                   # default rate and count of every domain
     * count: 5000
     * domains:
     *   - {name: d1, scale: 1, noise: 1}
     *   - {name: d2, scale: 1, noise: 20, rate: 200, delay: 5}
     * </pre>
     *
     * @param seedOverride the seed to use, or null for the file's (else {@code defaultSeed})
     */
    public static SyntheticPlan fromFile(Path file, Long seedOverride, long defaultSeed, int defaultDimension,
            double defaultRate, long defaultCount) throws IOException {
        String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = fileName.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root = mapper.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": a spec file must be an object with a 'domains' list");
        }
        Iterator<String> keys = root.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!List.of("experiment", "model", "dimension", "seed", "rate", "count", "domains").contains(k)) {
                throw new IllegalArgumentException(file + ": unknown key '" + k
                        + "'; allowed: experiment, model, dimension, seed, rate, count, domains");
            }
        }
        int dimension = root.path("dimension").asInt(defaultDimension);
        double rate = root.path("rate").asDouble(defaultRate);
        long count = root.path("count").asLong(defaultCount);
        long seed = seedOverride != null ? seedOverride : root.path("seed").asLong(defaultSeed);
        SyntheticPlan base = null;
        if (root.hasNonNull("experiment")) {
            base = ofExperiment(root.get("experiment").asText(), dimension, seed, rate, count);
        }
        ModelType model = root.hasNonNull("model") ? ModelType.parse(root.get("model").asText())
                : base != null ? base.modelType : ModelType.LINEAR;
        List<String> domainTexts = new ArrayList<>();
        List<Map<String, String>> domainFields = new ArrayList<>();
        JsonNode list = root.path("domains");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new IllegalArgumentException(file + ": 'domains' must be a list");
        }
        int i = 0;
        for (JsonNode entry : list) {
            i++;
            if (!entry.isObject()) {
                throw new IllegalArgumentException(file + ": domains[" + i + "] must be an object");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            entry.fields().forEachRemaining(f -> fields.put(f.getKey().toLowerCase(Locale.ROOT), f.getValue().asText()));
            domainFields.add(fields);
            domainTexts.add(file.getFileName() + " domains[" + i + "]");
        }
        String name = base != null ? base.name : stripExtension(file.getFileName().toString());
        List<DomainPlan> plans = base != null ? new ArrayList<>(base.domains) : new ArrayList<>();
        for (int k = 0; k < domainFields.size(); k++) {
            mergeDomain(plans, domainFields.get(k), rate, count, domainTexts.get(k));
        }
        if (plans.isEmpty()) {
            throw new IllegalArgumentException(file + ": no domains (give 'domains' or 'experiment')");
        }
        return new SyntheticPlan(name, model, dimension, seed, plans);
    }

    /** The label-noise variances of {@link #ofNoiseLevels}: six, geometric from 0.5 to 20. */
    public static final double[] NOISE_LEVELS = noiseLevels(0.5, 20, 6);

    /**
     * {@code k} domains {@code d1 .. dk} (zero-padded, so that names sort in order), x ~ N(0, I),
     * with label-noise variances cycling through {@link #NOISE_LEVELS}: domain i has
     * σ² = NOISE_LEVELS[(i − 1) mod 6]. The way to try many domains in one shared topic.
     */
    public static SyntheticPlan ofNoiseLevels(String name, ModelType model, int dimension, long seed, int k,
                                              double rate, long count) {
        if (k < 1) {
            throw new IllegalArgumentException("--many-domains must be >= 1: " + k);
        }
        if (model == ModelType.LOGISTIC) {
            throw new IllegalArgumentException("--many-domains sets label-noise variances, which need a real-valued "
                    + "model: --model linear or mlp");
        }
        int width = String.valueOf(k).length();
        List<DomainPlan> plans = new ArrayList<>(k);
        for (int i = 1; i <= k; i++) {
            String domain = String.format(Locale.ROOT, "d%0" + width + "d", i);
            plans.add(new DomainPlan(DomainSpec.regression(domain, 1.0, NOISE_LEVELS[(i - 1) % NOISE_LEVELS.length]),
                    rate, count, 0.0));
        }
        return new SyntheticPlan(name, model, dimension, seed, plans);
    }

    private static double[] noiseLevels(double lowest, double highest, int levels) {
        double[] v = new double[levels];
        for (int j = 0; j < levels; j++) {
            v[j] = lowest * Math.pow(highest / lowest, j / (double) (levels - 1));
        }
        return v;
    }

    /**
     * This plan with {@code --domain} options applied: an option whose name matches a domain
     * replaces the keys it gives; any other option adds a domain.
     */
    public SyntheticPlan withDomainOptions(List<String> options, double defaultRate, long defaultCount) {
        List<DomainPlan> plans = new ArrayList<>(domains);
        for (String option : options) {
            mergeDomain(plans, keyValuesOf(option), defaultRate, defaultCount, option);
        }
        return new SyntheticPlan(name, modelType, dimension, seed, plans);
    }

    /** A plan made only of {@code --domain} options. */
    public static SyntheticPlan ofDomainOptions(String name, ModelType model, int dimension, long seed,
            List<String> options, double defaultRate, long defaultCount) {
        List<DomainPlan> plans = new ArrayList<>();
        for (String option : options) {
            mergeDomain(plans, keyValuesOf(option), defaultRate, defaultCount, option);
        }
        return new SyntheticPlan(name, model, dimension, seed, plans);
    }

    private static void mergeDomain(List<DomainPlan> plans, Map<String, String> fields, double rate, long count,
            String context) {
        String domainName = fields.get("name");
        if (domainName == null) {
            throw new IllegalArgumentException("domain '" + context + "' has no name=...");
        }
        if (plans.stream().anyMatch(d -> d.spec().changes())) {
            for (String key : List.of("rate", "count", "delay")) {
                if (fields.containsKey(key)) {
                    throw new IllegalArgumentException("domain '" + context + "': an experiment with a change point is "
                            + "produced in the order of its stream (its changes are fractions of it), so a domain's "
                            + key + " does not apply; give --rate and --count");
                }
            }
        }
        for (int j = 0; j < plans.size(); j++) {
            if (plans.get(j).name().equals(domainName)) {
                plans.set(j, DomainPlan.fromFields(fields, plans.get(j), rate, count, context));
                return;
            }
        }
        plans.add(DomainPlan.fromFields(fields, null, rate, count, context));
    }

    private static Map<String, String> keyValuesOf(String option) {
        return DomainPlan.keyValues(option);
    }

    private static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    public String name() {
        return name;
    }

    public ModelType modelType() {
        return modelType;
    }

    public int dimension() {
        return dimension;
    }

    public long seed() {
        return seed;
    }

    public List<DomainPlan> domains() {
        return domains;
    }

    public boolean binaryLabels() {
        return modelType == ModelType.LOGISTIC;
    }

    /** The core experiment with these domains: the same generators the simulator uses. */
    public Experiment experiment() {
        List<DomainSpec> specs = new ArrayList<>();
        for (DomainPlan d : domains) {
            specs.add(d.spec());
        }
        return new Experiment(name, modelType, dimension, specs);
    }

    public GroundTruth groundTruth() {
        return experiment().groundTruth(seed);
    }

    /** One generator per domain, in the order of {@link #domains()}. */
    public List<SyntheticDomain> generators(GroundTruth truth) {
        return experiment().generators(truth, seed);
    }

    /** Total examples planned, or -1 when some domain is unbounded. */
    public long totalCount() {
        long total = 0;
        for (DomainPlan d : domains) {
            if (!d.bounded()) {
                return -1;
            }
            total += d.count();
        }
        return total;
    }
}
