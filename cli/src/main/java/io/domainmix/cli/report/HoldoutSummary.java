package io.domainmix.cli.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The held-out evaluation as a plain-text table: the reference's numbers, then one line per run. */
public final class HoldoutSummary {
    private HoldoutSummary() {}

    public static void print(HoldoutEvaluation ev, PrintStream out) {
        HoldoutEvaluation.Reference ref = ev.reference();
        List<String> domains = ev.domains();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-24s %10s", "policy", "held-out"));
        head.append(String.format(Locale.ROOT, " %8s %11s %8s %9s %7s", "÷ ref", "λ-weighted", "÷ ref", "λ spread",
                "λ rank"));

        for (String d : domains) {
            head.append(String.format(Locale.ROOT, " %8s", "λ " + abbreviate(d)));
        }
        for (String d : domains) {
            head.append(String.format(Locale.ROOT, " %7s", "p " + abbreviate(d)));
        }
        out.println(head);
        for (HoldoutEvaluation.Run r : ev.runs()) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s %10.4f", r.label(), r.finalOverall()));
            b.append(String.format(Locale.ROOT, " %8.3f %11.4f %8.3f %9.2f %7s",
                    HoldoutReport.ratio(r.finalOverall(), ref.unweightedOverall()), r.finalWeighted(),
                    HoldoutReport.ratio(r.finalWeighted(), ref.weightedWeighted()),
                    HoldoutEvaluation.spreadOf(r.finalLossWeight()),
                    HoldoutEvaluation.sameOrder(r.finalLossWeight(), ref.fit().lossWeight()) ? "as ref" : "-"));

            for (double v : r.finalLossWeight()) {
                b.append(String.format(Locale.ROOT, " %8.3f", v));
            }
            for (double v : r.finalSamplingProbability()) {
                b.append(String.format(Locale.ROOT, " %7.3f", v));
            }
            out.println(b);
        }
        boolean linear = ev.spec().type() == io.domainmix.core.model.ModelType.LINEAR;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s %10.4f %8s %11.4f %8s %9.2f %7s",
                linear ? "offline OLS" : "offline MLE", ref.unweightedOverall(), "1", ref.unweightedWeighted(), "", 1.0,
                ""));
        out.println(b.toString().stripTrailing());
        b = new StringBuilder(String.format(Locale.ROOT, "%-24s %10.4f %8s %11.4f %8s %9.2f %7s",
                linear ? "offline FGLS" : "offline weighted MLE", ref.weightedOverall(), "", ref.weightedWeighted(), "1",
                HoldoutEvaluation.spreadOf(ref.fit().lossWeight()), ""));
        for (double v : ref.fit().lossWeight()) {
            b.append(String.format(Locale.ROOT, " %8.3f", v));
        }
        out.println(b);
        out.println("checks:");
        for (HoldoutEvaluation.Run r : ev.runs()) {
            List<HoldoutChecks.Check> checks = HoldoutChecks.of(r, ref);
            if (!checks.isEmpty()) {
                out.printf(Locale.ROOT, "  %-22s %s%n", r.label(),
                        String.join("; ", checks.stream().map(HoldoutChecks.Check::describe).toList()));
            }
        }
        out.printf(Locale.ROOT, "÷ ref: the run's over the offline %s (held-out) and %s (λ-weighted); λ spread: λ max / min;"
                + " λ rank: the domains ranked by λ as the offline fit ranks them%n",
                linear ? "OLS" : "MLE", linear ? "FGLS" : "weighted MLE");
    }

    private static String abbreviate(String d) {
        return d.length() <= 6 ? d : d.substring(0, 6);
    }
}
