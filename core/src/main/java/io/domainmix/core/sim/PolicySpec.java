package io.domainmix.core.sim;

import io.domainmix.core.model.ModelType;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One cell of the policy grid: a loss-weight policy, a sampling policy and the importance mode.
 * Written {@code LOSS+SAMPLING} (corrected) or {@code LOSS+SAMPLING:conflated}; the conflated
 * baseline of common practice is also accepted as {@code conflated-SAMPLING} (uniform loss
 * weights, no correction).
 */
public final class PolicySpec {
    private final LossWeightPolicy loss;
    private final SamplingPolicy sampling;
    private final ImportanceMode mode;

    public PolicySpec(LossWeightPolicy loss, SamplingPolicy sampling, ImportanceMode mode) {
        this.loss = loss;
        this.sampling = sampling;
        this.mode = mode;
    }

    public static PolicySpec parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("conflated-")) {
            return new PolicySpec(LossWeightPolicy.UNIFORM, SamplingPolicy.parse(t.substring("conflated-".length())),
                    ImportanceMode.CONFLATED);
        }
        ImportanceMode mode = ImportanceMode.CORRECTED;
        int colon = t.indexOf(':');
        if (colon >= 0) {
            mode = ImportanceMode.parse(t.substring(colon + 1));
            t = t.substring(0, colon);
        }
        int plus = t.indexOf('+');
        if (plus < 0) {
            throw new IllegalArgumentException("policy '" + text + "' must be LOSS+SAMPLING[:conflated] (loss: "
                    + LossWeightPolicy.allowed() + "; sampling: " + SamplingPolicy.allowed() + ") or conflated-SAMPLING");
        }
        return new PolicySpec(LossWeightPolicy.parse(t.substring(0, plus)), SamplingPolicy.parse(t.substring(plus + 1)), mode);
    }

    public static List<PolicySpec> parseList(String text) {
        List<PolicySpec> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no policy given");
        }
        return out;
    }

    /** The paper's grid: {uniform, erma, fgls where linear} × {proportional, va}, plus conflated-va. */
    public static List<PolicySpec> defaultGrid(ModelType model) {
        List<PolicySpec> out = new ArrayList<>();
        List<LossWeightPolicy> losses = model == ModelType.LINEAR
                ? List.of(LossWeightPolicy.UNIFORM, LossWeightPolicy.ERMA, LossWeightPolicy.FGLS)
                : List.of(LossWeightPolicy.UNIFORM, LossWeightPolicy.ERMA);
        for (LossWeightPolicy l : losses) {
            for (SamplingPolicy s : List.of(SamplingPolicy.PROPORTIONAL, SamplingPolicy.VA)) {
                out.add(new PolicySpec(l, s, ImportanceMode.CORRECTED));
            }
        }
        out.add(new PolicySpec(LossWeightPolicy.UNIFORM, SamplingPolicy.VA, ImportanceMode.CONFLATED));
        return out;
    }

    public LossWeightPolicy loss() {
        return loss;
    }

    public SamplingPolicy sampling() {
        return sampling;
    }

    public ImportanceMode mode() {
        return mode;
    }

    public WeightSettings weightSettings() {
        return new WeightSettings(loss, sampling, mode);
    }

    /** The canonical text form, parseable by {@link #parse}. */
    public String name() {
        if (mode == ImportanceMode.CONFLATED && loss == LossWeightPolicy.UNIFORM) {
            return "conflated-" + sampling.optionName();
        }
        return loss.optionName() + "+" + sampling.optionName() + (mode == ImportanceMode.CONFLATED ? ":conflated" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicySpec && ((PolicySpec) o).loss.equals(loss) && ((PolicySpec) o).sampling.equals(sampling)
                && ((PolicySpec) o).mode == mode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(loss, sampling, mode);
    }

    @Override
    public String toString() {
        return name();
    }
}
