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

    /** The names accepted by {@link #named(String, int)}. */
    public static List<String> names() {
        return Collections.unmodifiableList(Arrays.asList(
                "linear-noise", "linear-scale", "linear-scale-flipped", "logistic-scale", "logistic-mixed", "mlp",
                "offset-noise"));
    }

    /** The settings of the paper's figures (ALGORITHMS.md §7): every name but {@code offset-noise}. */
    public static List<String> paperNames() {
        return names().subList(0, names().size() - 1);
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
        return new Arrivals(generators(truth, seed), SplitMix64.derive(seed, "arrivals"));
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

    /** A deterministic interleaving of several domain streams. */
    public static final class Arrivals {
        private final List<SyntheticDomain> generators;
        private final double[] cumulative;
        private final SplitMix64 rng;

        Arrivals(List<SyntheticDomain> generators, long seed) {
            this.generators = generators;
            this.cumulative = new double[generators.size()];
            double total = 0;
            for (int i = 0; i < generators.size(); i++) {
                total += generators.get(i).spec().relativeRate();
                cumulative[i] = total;
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] /= total;
            }
            this.rng = new SplitMix64(seed);
        }

        /** Index of the domain of the next arrival (call {@link #next(int)} with it). */
        public int nextDomain() {
            double u = rng.nextDouble();
            for (int i = 0; i < cumulative.length - 1; i++) {
                if (u < cumulative[i]) {
                    return i;
                }
            }
            return cumulative.length - 1;
        }

        public Example next(int domain) {
            return generators.get(domain).next();
        }

        public Example next() {
            return next(nextDomain());
        }
    }
}
