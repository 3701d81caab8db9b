package io.domainmix.cli.report;

import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pass/fail checks of a run against the offline reference, with the targets the project holds
 * streaming training to on real data: θ̄ of a uniform-weight run within {@value #LOSS_RATIO} × the
 * offline OLS (MLE) held-out loss; θ̄ of a noise-aware run (erma, fgls) within that ratio of the
 * offline FGLS in λ-weighted held-out loss, its λ ranking the domains as the offline fit does,
 * and its λ max/min within a factor {@value #SPREAD_FACTOR} of the offline one. The conflated
 * baseline and run ids that name no policy are not checked.
 */
public final class HoldoutChecks {
    public static final double LOSS_RATIO = 1.10;
    public static final double SPREAD_FACTOR = 1.5;

    private HoldoutChecks() {}

    /** One check: what, the value (NaN for a yes/no check), the target, and whether it passed. */
    public record Check(String name, double value, String target, boolean passed) {
        /** e.g. {@code held-out ÷ offline OLS = 1.038 (≤ 1.10): pass} */
        public String describe() {
            return name + (Double.isNaN(value) ? "" : String.format(Locale.ROOT, " = %.3f", value))
                    + (target.isEmpty() ? "" : " (" + target + ")") + ": " + (passed ? "pass" : "FAIL");
        }
    }

    /** The checks that apply to a run; empty when its label names no checked policy. */
    public static List<Check> of(HoldoutEvaluation.Run run, HoldoutEvaluation.Reference ref) {
        PolicySpec policy;
        try {
            policy = PolicySpec.parse(run.label());
        } catch (IllegalArgumentException notAPolicy) {
            return List.of();
        }
        List<Check> out = new ArrayList<>();
        if (policy.mode() == ImportanceMode.CONFLATED) {
            return out;
        }
        if (policy.loss() == LossWeightPolicy.UNIFORM) {
            double r = HoldoutReport.ratio(run.finalOverall(), ref.unweightedOverall());
            out.add(new Check("held-out ÷ offline " + unweightedName(ref), r, ratioTarget(), r <= LOSS_RATIO));
        } else if (policy.loss() == LossWeightPolicy.ERMA || policy.loss() == LossWeightPolicy.FGLS) {
            double r = HoldoutReport.ratio(run.finalWeighted(), ref.weightedWeighted());
            out.add(new Check("λ-weighted held-out ÷ offline " + weightedName(ref), r, ratioTarget(), r <= LOSS_RATIO));
            out.add(new Check("λ ranks the domains as offline", Double.NaN, "",
                    HoldoutEvaluation.sameOrder(run.finalLossWeight(), ref.fit().lossWeight())));
            double s = HoldoutReport.ratio(HoldoutEvaluation.spreadOf(run.finalLossWeight()),
                    HoldoutEvaluation.spreadOf(ref.fit().lossWeight()));
            out.add(new Check("λ max/min ÷ offline", s, String.format(Locale.ROOT, "within ×%.1f", SPREAD_FACTOR),
                    s >= 1 / SPREAD_FACTOR && s <= SPREAD_FACTOR));
        }
        return out;
    }

    private static String ratioTarget() {
        return String.format(Locale.ROOT, "≤ %.2f", LOSS_RATIO);
    }

    private static String unweightedName(HoldoutEvaluation.Reference ref) {
        return ref.isLinear() ? "OLS" : "MLE";
    }

    private static String weightedName(HoldoutEvaluation.Reference ref) {
        return ref.isLinear() ? "FGLS" : "weighted MLE";
    }
}
