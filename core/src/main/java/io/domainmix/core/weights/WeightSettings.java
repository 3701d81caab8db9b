package io.domainmix.core.weights;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weight policies of a run and their parameters: the shared ones (ε, κ, n_min, the floor) with
 * the defaults of ALGORITHMS.md, and each rule's own by name.
 */
public final class WeightSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_EPSILON = 0.05;
    public static final double DEFAULT_KAPPA = 1000;
    public static final long DEFAULT_MIN_EXAMPLES = 100;
    public static final double DEFAULT_FLOOR = 1e-8;

    public LossWeightPolicy lossPolicy = LossWeightPolicy.UNIFORM;
    public SamplingPolicy samplingPolicy = SamplingPolicy.PROPORTIONAL;
    public ImportanceMode mode = ImportanceMode.CORRECTED;
    /** ε of the VA mixture p = (1−ε) p_VA + ε π. */
    public double epsilon = DEFAULT_EPSILON;
    /** κ: max λ / min λ after clipping. */
    public double kappa = DEFAULT_KAPPA;
    /** n_min: examples before a domain's own estimate is trusted (ERMA, FGLS). */
    public long minExamples = DEFAULT_MIN_EXAMPLES;
    /** ε of λ ∝ 1/max(L̄ or σ̂², ε). */
    public double floor = DEFAULT_FLOOR;
    /** The rules' own parameters by name ({@link RuleParameter#name()}); an absent one has its default. */
    public Map<String, Object> parameters = new TreeMap<>();

    public WeightSettings() {}

    public WeightSettings(LossWeightPolicy loss, SamplingPolicy sampling, ImportanceMode mode) {
        this.lossPolicy = loss;
        this.samplingPolicy = sampling;
        this.mode = mode;
    }

    /** A rule parameter's value: the one set, or its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(RuleParameter<T> p) {
        Object v = parameters.get(p.name());
        return v == null ? p.defaultValue() : (T) v;
    }

    public <T> WeightSettings set(RuleParameter<T> p, T value) {
        parameters.put(p.name(), value);
        return this;
    }

    /**
     * Sets rule parameters given as text by name (the job's option names without {@code --}),
     * each parsed and validated by its rule; an unknown name is an error listing the known ones.
     */
    public WeightSettings parseParameters(Map<String, String> text) {
        for (Map.Entry<String, String> e : text.entrySet()) {
            RuleParameter<?> p = PolicyRegistry.parameter(e.getKey().trim());
            if (p == null) {
                throw new IllegalArgumentException("unknown policy parameter '" + e.getKey() + "'; known: "
                        + PolicyRegistry.parameters().stream().map(RuleParameter::name)
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            parameters.put(p.name(), p.parse(e.getValue()));
        }
        return this;
    }

    public LossWeightRule lossRule() {
        return lossPolicy.rule();
    }

    public SamplingRule samplingRule() {
        return samplingPolicy.rule();
    }

    public void validate() {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1]: " + epsilon);
        }
        if (!(kappa >= 1)) {
            throw new IllegalArgumentException("kappa must be >= 1: " + kappa);
        }
        if (minExamples < 0) {
            throw new IllegalArgumentException("min-examples must be >= 0: " + minExamples);
        }
        lossPolicy.rule().validate(this);
        samplingPolicy.rule().validate(this);
    }
}
