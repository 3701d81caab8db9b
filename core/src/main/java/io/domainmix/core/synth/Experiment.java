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

    private final String name;
    private final ModelType modelType;
    private final int dimension;
    private final List<DomainSpec> domains;

    public Experiment(String name, ModelType modelType, int dimension, List<DomainSpec> domains) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one domain");
        }
        this.name = name;
        this.modelType = modelType;
        this.dimension = dimension;
        this.domains = List.copyOf(domains);
    }

    /** The names accepted by {@link #named(String, int)}. */
    public static List<String> names() {
        return Collections.unmodifiableList(Arrays.asList(
                "linear-noise", "linear-scale", "linear-scale-flipped", "logistic-scale", "logistic-mixed", "mlp"));
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

    public boolean binaryLabels() {
        return modelType == ModelType.LOGISTIC;
    }

    /** The model trained on this experiment (no intercept: the synthetic data have none). */
    public ModelSpec modelSpec() {
        switch (modelType) {
            case LINEAR: return ModelSpec.linear(dimension, false);
            case LOGISTIC: return ModelSpec.logistic(dimension, false);
            default: return ModelSpec.mlp(dimension, MLP_HIDDEN, Activation.TANH, LabelKind.REAL);
        }
    }

    public GroundTruth groundTruth(long seed) {
        return GroundTruth.draw(modelType, dimension, MLP_HIDDEN, seed);
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
        List<List<Example>> out = new ArrayList<>();
        for (SyntheticDomain g : generators(truth, SplitMix64.derive(seed, "held-out"))) {
            List<Example> list = new ArrayList<>(perDomain);
            for (int i = 0; i < perDomain; i++) {
                list.add(g.nextClean());
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
