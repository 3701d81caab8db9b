package io.domainmix.core.synth;

import io.domainmix.core.data.Example;
import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.rng.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A synthetic setting: the model family, the dimension and the domains. The named settings are
 * those of the paper's figures (ALGORITHMS.md §7); every stream is determined by its seed.
 */
public final class Experiment {
    /** Hidden width of the teacher and of the student in the {@code mlp} setting. */
    public static final int MLP_HIDDEN = 16;
    public static final int DEFAULT_DIMENSION = 20;
    /** The label offset of {@code offset-noise}: labels with a mean far from 0, as real ones have. */
    public static final double OFFSET_NOISE_LABEL_OFFSET = 27.0;

    private final String name;
    private final ModelType modelType;
    private final int dimension;
    private final List<DomainSpec> domains;
    private final boolean intercept;

    public Experiment(String name, ModelType modelType, int dimension, List<DomainSpec> domains) {
        this(name, modelType, dimension, domains, false);
    }

    /** @param intercept whether the trained model fits an intercept (needed when the domains have a label offset) */
    public Experiment(String name, ModelType modelType, int dimension, List<DomainSpec> domains, boolean intercept) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one domain");
        }
        if (intercept && modelType == ModelType.MLP) {
            throw new IllegalArgumentException("the MLP always has its biases; intercept applies to linear and logistic");
        }
        this.name = name;
        this.modelType = modelType;
        this.dimension = dimension;
        this.domains = List.copyOf(domains);
        this.intercept = intercept;
    }

    /** The fraction of the stream at which {@code drift}'s noise jumps. */
    public static final double DRIFT_CHANGE_AT = 0.5;
    /** The fraction of the stream at which {@code arrive}'s third domain appears. */
    public static final double ARRIVE_CHANGE_AT = 0.3;
    /** The fraction of the stream at which {@code vanish}'s noisy domain stops. */
    public static final double VANISH_CHANGE_AT = 0.6;

    /** The names accepted by {@link #named(String, int)}. */
    public static List<String> names() {
        return Collections.unmodifiableList(Arrays.asList(
                "linear-noise", "linear-scale", "linear-scale-flipped", "logistic-scale", "logistic-mixed", "mlp",
                "offset-noise", "drift", "arrive", "vanish"));
    }

    /** The settings of the paper's figures (ALGORITHMS.md §7). */
    public static List<String> paperNames() {
        return names().subList(0, 6);
    }

    /** The settings with a change point: a domain's noise jumps, a domain appears, a domain stops. */
    public static List<String> changeNames() {
        return names().subList(7, 10);
    }

    /**
     * The dimension a named experiment is meant for: 2 for {@code offset-noise} (a small real
     * table's shape), {@link #DEFAULT_DIMENSION} for the paper's settings.
     */
    public static int defaultDimension(String name) {
        return "offset-noise".equals(name.toLowerCase(Locale.ROOT)) ? 2 : DEFAULT_DIMENSION;
    }

    public static Experiment named(String name, int dimension) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "linear-noise":
                return new Experiment("linear-noise", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 1, 1), DomainSpec.regression("d2", 1, 20)));
            case "linear-scale":
                return new Experiment("linear-scale", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 100, 1), DomainSpec.regression("d2", 1, 1)));
            case "linear-scale-flipped":
                return new Experiment("linear-scale-flipped", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 1, 1), DomainSpec.regression("d2", 100, 1)));
            case "logistic-scale":
                return new Experiment("logistic-scale", ModelType.LOGISTIC, dimension, List.of(
                        DomainSpec.classification("d1", 100, 0.05), DomainSpec.classification("d2", 100, 0.30)));
            case "logistic-mixed":
                return new Experiment("logistic-mixed", ModelType.LOGISTIC, dimension, List.of(
                        DomainSpec.classification("d1", 10, 0.05), DomainSpec.classification("d2", 100, 0.30)));
            case "mlp":
                return new Experiment("mlp", ModelType.MLP, dimension, List.of(
                        DomainSpec.regression("d1", 1, 0.1), DomainSpec.regression("d2", 1, 2.0)));
            case "offset-noise": {
                // the shape of a small real multi-source table: uncentred labels, residual
                // variances 40x apart, meant for about 4,000 examples a domain
                double c = OFFSET_NOISE_LABEL_OFFSET;
                return new Experiment("offset-noise", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 1, 0.2, c), DomainSpec.regression("d2", 1, 1, c),
                        DomainSpec.regression("d3", 1, 7, c), DomainSpec.regression("d4", 1, 8, c)), true);
            }
            case "drift":
                // linear-noise's domains, but d2 starts as clean as d1 and goes bad half-way
                return new Experiment("drift", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 1, 1),
                        DomainSpec.regression("d2", 1, 1).withNoiseChange(DRIFT_CHANGE_AT, 20)));
            case "arrive":
                // linear-noise, then a clean third source joins
                return new Experiment("arrive", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 1, 1), DomainSpec.regression("d2", 1, 20),
                        DomainSpec.regression("d3", 1, 1).activeBetween(ARRIVE_CHANGE_AT, 1.0)));
            case "vanish":
                // linear-noise, then the noisy source stops: d1 alone carries the objective
                return new Experiment("vanish", ModelType.LINEAR, dimension, List.of(
                        DomainSpec.regression("d1", 1, 1),
                        DomainSpec.regression("d2", 1, 20).activeBetween(0.0, VANISH_CHANGE_AT)));
            default:
                throw new IllegalArgumentException("unknown experiment '" + name + "'; allowed: " + String.join(", ", names()));
        }
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

    public List<DomainSpec> domains() {
        return domains;
    }

    /** Whether the trained model fits an intercept. */
    public boolean intercept() {
        return intercept;
    }

    /** Whether a domain appears, stops or changes its noise within the stream. */
    public boolean changes() {
        return domains.stream().anyMatch(DomainSpec::changes);
    }

    /** The fraction of the stream at which the first change happens; NaN for a stationary experiment. */
    public double changeAt() {
        double at = Double.NaN;
        for (DomainSpec d : domains) {
            for (double f : new double[] {d.startsAt(), d.stopsAt(), d.noiseChangesAt()}) {
                if (f > 0 && f < 1 && !(f >= at)) {
                    at = f;
                }
            }
        }
        return at;
    }

    /**
     * The domain whose weights the change moves most directly, and whose adaptation is measured:
     * the one whose noise changes, else the one that appears, else (a domain stopped) the first
     * one that arrives for the whole stream. Null for a stationary experiment.
     */
    public String changedDomain() {
        for (DomainSpec d : domains) {
            if (d.hasNoiseChange()) {
                return d.name();
            }
        }
        for (DomainSpec d : domains) {
            if (d.startsAt() > 0) {
                return d.name();
            }
        }
        for (DomainSpec d : domains) {
            if (d.stopsAt() < 1) {
                for (DomainSpec other : domains) {
                    if (!other.changes()) {
                        return other.name();
                    }
                }
            }
        }
        return null;
    }

    public boolean binaryLabels() {
        return modelType == ModelType.LOGISTIC;
    }

    /** The model trained on this experiment: with an intercept only where the labels have an offset. */
    public ModelSpec modelSpec() {
        switch (modelType) {
            case LINEAR: return ModelSpec.linear(dimension, intercept);
            case LOGISTIC: return ModelSpec.logistic(dimension, intercept);
            default: return ModelSpec.mlp(dimension, MLP_HIDDEN, Activation.TANH, LabelKind.REAL);
        }
    }

    public GroundTruth groundTruth(long seed) {
        return GroundTruth.draw(modelType, dimension, MLP_HIDDEN, seed);
    }

    /**
     * The parameters the model should find: θ*, followed with an intercept by the label offset
     * the domains share. Null for the MLP, and with an intercept when the domains' offsets differ
     * (no single parameter vector is then right for every domain).
     */
    public double[] trueParameters(GroundTruth truth) {
        if (modelType == ModelType.MLP) {
            return null;
        }
        if (!intercept) {
            return truth.theta.clone();
        }
        double offset = domains.get(0).labelOffset();
        for (DomainSpec d : domains) {
            if (d.labelOffset() != offset) {
                return null;
            }
        }
        double[] out = Arrays.copyOf(truth.theta, truth.theta.length + 1);
        out[truth.theta.length] = offset;
        return out;
    }

    public List<SyntheticDomain> generators(GroundTruth truth, long seed) {
        List<SyntheticDomain> out = new ArrayList<>();
        for (DomainSpec d : domains) {
            out.add(new SyntheticDomain(d, truth, binaryLabels(), seed));
        }
        return out;
    }

    /** The interleaved arrivals of all domains, each arrival's domain drawn by relative rate. */
    public Arrivals arrivals(GroundTruth truth, long seed) {
        if (changes()) {
            throw new IllegalArgumentException("experiment " + name + " changes within the stream: give its length");
        }
        return new Arrivals(generators(truth, seed), SplitMix64.derive(seed, "arrivals"), 0);
    }

    /**
     * The arrivals of a stream of {@code length} examples: at arrival i, the domains active at
     * fraction i/length are drawn by relative rate, with the noise in force there. A stationary
     * experiment gives the same stream as {@link #arrivals(GroundTruth, long)}.
     */
    public Arrivals arrivals(GroundTruth truth, long seed, long length) {
        if (length < 1) {
            throw new IllegalArgumentException("a stream needs at least one example: " + length);
        }
        return new Arrivals(generators(truth, seed), SplitMix64.derive(seed, "arrivals"), changes() ? length : 0);
    }

    /** Held-out examples with noise-free labels, {@code perDomain} of each domain, from a separate stream. */
    public List<List<Example>> heldOut(GroundTruth truth, long seed, int perDomain) {
        return heldOut(truth, seed, perDomain, false);
    }

    /**
     * Held-out examples, {@code perDomain} of each domain, from a stream separate from the
     * training arrivals: with noise-free labels (the excess loss), or with noisy ones, as a user's
     * held-out rows would be (the noisy stream is separate from the noise-free one too).
     */
    public List<List<Example>> heldOut(GroundTruth truth, long seed, int perDomain, boolean noisy) {
        List<List<Example>> out = new ArrayList<>();
        for (SyntheticDomain g : generators(truth, SplitMix64.derive(seed, noisy ? "held-out-noisy" : "held-out"))) {
            List<Example> list = new ArrayList<>(perDomain);
            for (int i = 0; i < perDomain; i++) {
                list.add(noisy ? g.next() : g.nextClean());
            }
            out.add(list);
        }
        return out;
    }

    /**
     * A deterministic interleaving of several domain streams. With a length, the set of
     * arriving domains and their noise follow the stream position (one draw of the arrival
     * generator per arrival either way, so a stationary stream is the same with or without one).
     */
    public static final class Arrivals {
        private final List<SyntheticDomain> generators;
        private final double[] cumulative;
        private final SplitMix64 rng;
        /** 0: stationary. */
        private final long length;
        private long position = -1;
        private double fraction;
        private boolean[] active;

        Arrivals(List<SyntheticDomain> generators, long seed, long length) {
            this.generators = generators;
            this.cumulative = new double[generators.size()];
            this.length = length;
            this.rng = new SplitMix64(seed);
            if (length == 0) {
                fillCumulative(null);
            }
        }

        /** Cumulative relative rates of the active domains (all when {@code mask} is null), normalised. */
        private void fillCumulative(boolean[] mask) {
            double total = 0;
            for (int i = 0; i < generators.size(); i++) {
                if (mask == null || mask[i]) {
                    total += generators.get(i).spec().relativeRate();
                }
                cumulative[i] = total;
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] /= total;
            }
        }

        /** Index of the domain of the next arrival (call {@link #next(int)} with it). */
        public int nextDomain() {
            if (length > 0) {
                position++;
                fraction = (double) position / length;
                boolean[] mask = new boolean[generators.size()];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = generators.get(i).spec().activeAt(fraction);
                }
                if (!Arrays.equals(mask, active)) {
                    if (!contains(mask)) {
                        throw new IllegalStateException("no domain arrives at " + fraction + " of the stream");
                    }
                    active = mask;
                    fillCumulative(mask);
                }
            }
            double u = rng.nextDouble();
            for (int i = 0; i < cumulative.length - 1; i++) {
                if (u < cumulative[i] && (active == null || active[i])) {
                    return i;
                }
            }
            for (int i = cumulative.length - 1; i > 0; i--) {
                if (active == null || active[i]) {
                    return i;
                }
            }
            return 0;
        }

        private static boolean contains(boolean[] mask) {
            for (boolean b : mask) {
                if (b) {
                    return true;
                }
            }
            return false;
        }

        /** The fraction of the stream at the current arrival (0 for a stationary stream). */
        public double fraction() {
            return fraction;
        }

        public Example next(int domain) {
            return length > 0 ? generators.get(domain).nextAt(fraction) : generators.get(domain).next();
        }

        public Example next() {
            return next(nextDomain());
        }
    }
}
