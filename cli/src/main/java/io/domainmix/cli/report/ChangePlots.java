package io.domainmix.cli.report;

import io.domainmix.core.sim.ChangeOracle;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.weights.WeightSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plots of an experiment with a change point: λ and p of the changed domain over the
 * examples seen, per run, with the change marked and the oracle weights that know the change
 * (GLS λ*, VA p*, before and after it) dashed in black. The runs' domain health events, where
 * the metrics records carry them, are thin red lines on the time axis.
 */
final class ChangePlots {
    private ChangePlots() {}

    static void add(Map<String, Path> plots, Path outDir, TruthDocument truth, List<RunEvaluation> evals) throws IOException {
        Experiment experiment = truth.experiment();
        String domain = experiment.changedDomain();
        int d = experiment.domains().stream().map(x -> x.name()).toList().indexOf(domain);
        double changeAt = experiment.changeAt() * truth.streamLength();
        double end = truth.streamLength();
        ChangeOracle before = ChangeOracle.at(experiment, 0, WeightSettings.DEFAULT_EPSILON);
        ChangeOracle after = ChangeOracle.afterChange(experiment, WeightSettings.DEFAULT_EPSILON);
        List<ReportCharts.Marker> markers = new ArrayList<>();
        markers.add(new ReportCharts.Marker(changeAt, String.format(Locale.ROOT, " change at %.0f", changeAt), false));
        for (RunEvaluation e : evals) {
            for (MetricsPoint.HealthMark h : e.healthEvents) {
                markers.add(new ReportCharts.Marker(h.arrivals(), " " + e.label + ": " + h.domain() + " " + h.kind(), true));
            }
        }

        List<ReportCharts.Line> lambda = lines(evals, e -> e.lossWeights.get(domain));
        lambda.add(oracleLine("GLS λ* (knows the change)", before.lossWeight(d), after.lossWeight(d), changeAt, end));
        Path lp = outDir.resolve("lambda-changed.png");
        ReportCharts.write(lp, "loss weight λ of " + domain + ", the changed domain", "λ " + domain, lambda, true, markers);
        plots.put("lambda-changed", lp);

        List<ReportCharts.Line> p = lines(evals, e -> e.samplingProbabilities.get(domain));
        p.add(oracleLine("VA p* (knows the change)", before.samplingProbability(d), after.samplingProbability(d), changeAt, end));
        Path pp = outDir.resolve("p-changed.png");
        ReportCharts.write(pp, "sampling probability p of " + domain + ", the changed domain", "p " + domain, p, false, markers);
        plots.put("p-changed", pp);
    }

    private static List<ReportCharts.Line> lines(List<RunEvaluation> evals, java.util.function.Function<RunEvaluation, Series> f) {
        List<ReportCharts.Line> out = new ArrayList<>();
        for (int i = 0; i < evals.size(); i++) {
            Series s = f.apply(evals.get(i));
            if (s != null) {
                out.add(new ReportCharts.Line(evals.get(i).label, s, i, false));
            }
        }
        return out;
    }

    /** A step from the oracle before the change to the one after (a domain that has not arrived yet has none). */
    private static ReportCharts.Line oracleLine(String label, double before, double after, double changeAt, double end) {
        List<double[]> pts = new ArrayList<>();
        if (Double.isFinite(before)) {
            pts.add(new double[] {0, before});
            pts.add(new double[] {changeAt, before});
        }
        pts.add(new double[] {changeAt, after});
        pts.add(new double[] {end, after});
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new ReportCharts.Line(label, new Series(label, x, y), ReportCharts.REFERENCE, true);
    }
}
