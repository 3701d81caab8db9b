package io.domainmix.cli.demo;

import io.domainmix.cli.report.Report;
import io.domainmix.cli.report.RunEvaluation;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The table printed when an experiment's runs are done: final error, its ratio to GLS, gradient noise, weights. */
public final class SummaryTable {
    private SummaryTable() {}

    public static void print(Report.Result r, List<PolicyRun> runs, PrintStream out) {
        String measure = r.measure() == null ? "error" : r.measure().shortName();
        List<String> domains = r.domains();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-22s %10s %8s %12s %12s", "policy", measure,
                r.oracle() != null ? "÷ GLS" : "", "grad.noise", "predicted"));
        for (String d : domains) {
            head.append(String.format(Locale.ROOT, " %7s", "λ " + d));
        }
        for (String d : domains) {
            head.append(String.format(Locale.ROOT, " %6s", "p " + d));
        }
        head.append(String.format(Locale.ROOT, " %6s", "time"));
        out.println(head);
        for (RunEvaluation e : r.runs()) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-22s %10s %8s %12s %12s", e.label,
                    fmt(e.finalError), r.oracle() != null ? String.format(Locale.ROOT, "%.2f", e.finalError / r.oracle().glsError) : "",
                    fmt(e.finalNoiseMeasured), fmt(e.finalNoisePredicted)));
            for (String d : domains) {
                b.append(String.format(Locale.ROOT, " %7.3f", e.lossWeightOf(d)));
            }
            for (String d : domains) {
                b.append(String.format(Locale.ROOT, " %6.3f", e.samplingProbabilityOf(d)));
            }
            double seconds = runs.stream().filter(p -> p.runId().equals(e.runId)).mapToDouble(PolicyRun::seconds)
                    .findFirst().orElse(Double.NaN);
            b.append(String.format(Locale.ROOT, " %5.0fs", seconds));
            out.println(b);
        }
        for (PolicyRun p : runs) {
            if (p.state() == PolicyRun.State.FAILED) {
                out.printf(Locale.ROOT, "%-22s FAILED: %s%n", p.policy().name(), p.failure());
            }
        }
        if (r.oracle() != null) {
            out.printf(Locale.ROOT, "oracle (closed form, all examples at once): GLS %s, one-shot FGLS %s, OLS %s%n",
                    fmt(r.oracle().glsError), fmt(r.oracle().fglsError), fmt(r.oracle().olsError));
        }
    }

    private static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
