package io.domainmix.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the report of a set of runs on the same data: {@code report.html} (self-contained, the
 * plots embedded), the plots as PNG files beside it, and {@code report.json} with every plotted
 * series and the summary numbers.
 */
public final class Report {
    public static final String HTML = "report.html";
    public static final String JSON = "report.json";

    private Report() {}

    /** What was written, and the numbers behind it. */
    public record Result(Path html, Path json, Map<String, Path> plots, List<RunEvaluation> runs,
                         OracleEstimates oracle, ErrorMeasure measure, String referenceDomain, List<String> domains) {}

    /**
     * @param title a heading, e.g. the experiment's name
     * @throws IllegalArgumentException when there is no run with records
     */
    public static Result write(List<RunRecords> runs, TruthDocument truth, Path outDir, String title) throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no snapshot or metrics records found: nothing to report");
        }
        Files.createDirectories(outDir);
        ErrorMeasure measure = ErrorMeasure.forTruth(truth);
        String reference = referenceDomain(runs, truth);
        List<RunEvaluation> evals = new ArrayList<>();
        for (RunRecords r : runs) {
            evals.add(RunEvaluation.of(r, measure, reference));
        }
        OracleEstimates oracle = OracleEstimates.compute(truth, largestArrivals(evals));

        Map<String, Path> plots = new LinkedHashMap<>();
        if (measure != null) {
            List<ReportCharts.Line> lines = perRun(evals, e -> e.error);
            if (oracle != null) {
                double[] span = span(evals);
                lines.add(new ReportCharts.Line("oracle GLS (closed form)",
                        new Series("gls", span, new double[] {oracle.glsError, oracle.glsError}), ReportCharts.REFERENCE, true));
            }
            plots.put("error", plot(outDir, "error.png", measure.title() + " of the averaged model", measure.shortName(),
                    lines, true));
        }
        plots.put("lambda1", plot(outDir, "lambda1.png", "loss weight λ of " + reference, "λ " + reference,
                perRun(evals, e -> e.lambda1), false));
        plots.put("p1", plot(outDir, "p1.png", "sampling probability p of " + reference, "p " + reference,
                perRun(evals, e -> e.p1), false));
        if (truth.changes() && truth.modelType() == io.domainmix.core.model.ModelType.LINEAR) {
            ChangePlots.add(plots, outDir, truth, evals);
        }
        List<ReportCharts.Line> noise = new ArrayList<>();
        for (int i = 0; i < evals.size(); i++) {
            RunEvaluation e = evals.get(i);
            noise.add(new ReportCharts.Line(e.label + " measured", e.noiseMeasured, i, false));
            noise.add(new ReportCharts.Line(e.label + " predicted", e.noisePredicted, i, true));
        }
        plots.put("gradient-noise", plot(outDir, "gradient-noise.png",
                "gradient noise E‖w∇ℓ‖²: measured (solid) and predicted N(p) (dashed)", "second moment", noise, true));
        for (String d : plottedDomains(domainOrder(truth, evals))) {
            String file = "prequential-loss-" + d.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
            List<ReportCharts.Line> lines = new ArrayList<>();
            for (int i = 0; i < evals.size(); i++) {
                Series s = evals.get(i).prequentialLoss.get(d);
                if (s != null) {
                    lines.add(new ReportCharts.Line(evals.get(i).label, s, i, false));
                }
            }
            plots.put("prequential-loss-" + d, plot(outDir, file, "prequential loss of domain " + d + " (moving average)",
                    "loss", lines, true));
        }

        Path json = outDir.resolve(JSON);
        writeJson(json, title, truth, measure, oracle, reference, evals);
        Path html = outDir.resolve(HTML);
        List<String> domains = domainOrder(truth, evals);
        HtmlReport.write(html, title, truth, measure, oracle, reference, evals, plots, domains);
        return new Result(html, json, plots, evals, oracle, measure, reference, domains);
    }

    private static Path plot(Path dir, String file, String title, String yLabel, List<ReportCharts.Line> lines, boolean logY)
            throws IOException {
        Path p = dir.resolve(file);
        ReportCharts.write(p, title, yLabel, lines, logY);
        return p;
    }

    private static List<ReportCharts.Line> perRun(List<RunEvaluation> evals, java.util.function.Function<RunEvaluation, Series> f) {
        List<ReportCharts.Line> lines = new ArrayList<>();
        for (int i = 0; i < evals.size(); i++) {
            lines.add(new ReportCharts.Line(evals.get(i).label, f.apply(evals.get(i)), i, false));
        }
        return lines;
    }

    private static double[] span(List<RunEvaluation> evals) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RunEvaluation e : evals) {
            if (!e.error.isEmpty()) {
                lo = Math.min(lo, e.error.x()[0]);
                hi = Math.max(hi, e.error.x()[e.error.size() - 1]);
            }
        }
        return Double.isFinite(lo) ? new double[] {lo, hi} : new double[] {0, 1};
    }

    private static String referenceDomain(List<RunRecords> runs, TruthDocument truth) {
        if (truth != null && !truth.domains().isEmpty()) {
            return truth.domains().get(0).name();
        }
        for (RunRecords r : runs) {
            MetricsPoint m = r.lastMetrics();
            if (m != null && m.domains.length > 0) {
                return m.domains[0];
            }
        }
        return "d1";
    }

    /** The truth's domain order (the experiment's), then any other domain the runs saw. */
    /**
     * Domains that get a plot of their own, at most {@value #MAX_DOMAIN_PLOTS}: the page embeds
     * every plot, so a report of thousands of domains would otherwise need hundreds of
     * megabytes. The series of every domain stay in {@link #JSON}.
     */
    static final int MAX_DOMAIN_PLOTS = 12;

    static List<String> plottedDomains(List<String> domains) {
        return domains.size() <= MAX_DOMAIN_PLOTS ? domains : domains.subList(0, MAX_DOMAIN_PLOTS);
    }

    private static List<String> domainOrder(TruthDocument truth, List<RunEvaluation> evals) {
        Set<String> out = new LinkedHashSet<>();
        truth.domains().forEach(d -> out.add(d.name()));
        for (RunEvaluation e : evals) {
            out.addAll(List.of(e.domains));
        }
        return List.copyOf(out);
    }

    /** The arrivals per domain of the run that saw the most examples (all runs read the same data). */
    private static Map<String, Long> largestArrivals(List<RunEvaluation> evals) {
        Map<String, Long> best = Map.of();
        long most = -1;
        for (RunEvaluation e : evals) {
            long total = e.arrivals.values().stream().mapToLong(Long::longValue).sum();
            if (total > most) {
                most = total;
                best = e.arrivals;
            }
        }
        return best;
    }

    private static void writeJson(Path file, String title, TruthDocument truth, ErrorMeasure measure,
                                  OracleEstimates oracle, String reference, List<RunEvaluation> evals) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("title", title);
        root.put("model", truth.modelType().optionName());
        root.put("errorMeasure", measure == null ? null : measure.shortName());
        root.put("referenceDomain", reference);
        if (truth.changes()) {
            ObjectNode c = root.putObject("change");
            c.put("domain", truth.experiment().changedDomain());
            c.put("atExample", Math.round(truth.experiment().changeAt() * truth.streamLength()));
            c.put("streamLength", truth.streamLength());
        }
        if (oracle != null) {
            ObjectNode o = root.putObject("oracle");
            o.put("glsError", oracle.glsError);
            o.put("olsError", oracle.olsError);
            o.put("fglsError", oracle.fglsError);
        }
        ArrayNode runs = root.putArray("runs");
        for (RunEvaluation e : evals) {
            ObjectNode r = runs.addObject();
            r.put("runId", e.runId);
            r.put("policy", e.label);
            r.put("examplesSeen", e.examplesSeen);
            putNumber(r, "finalError", e.finalError);
            if (oracle != null) {
                putNumber(r, "ratioToGls", e.finalError / oracle.glsError);
            }
            putNumber(r, "gradientNoiseMeasured", e.finalNoiseMeasured);
            putNumber(r, "gradientNoisePredicted", e.finalNoisePredicted);
            ObjectNode w = r.putObject("finalWeights");
            for (int d = 0; d < e.domains.length; d++) {
                ObjectNode dn = w.putObject(e.domains[d]);
                putNumber(dn, "lossWeight", e.finalLossWeight[d]);
                putNumber(dn, "samplingProbability", e.finalSamplingProbability[d]);
            }
            ObjectNode series = r.putObject("series");
            putSeries(series, "error", e.error);
            putSeries(series, "lambda1", e.lambda1);
            putSeries(series, "p1", e.p1);
            putSeries(series, "noiseMeasured", e.noiseMeasured);
            putSeries(series, "noisePredicted", e.noisePredicted);
            putSeries(series, "trainingLoss", e.trainingLoss);
            ObjectNode pl = series.putObject("prequentialLoss");
            e.prequentialLoss.forEach((d, s) -> putSeries(pl, d, s));
        }
        mapper.writeValue(file.toFile(), root);
    }

    static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    static void putSeries(ObjectNode parent, String field, Series s) {
        ObjectNode n = parent.putObject(field);
        ArrayNode x = n.putArray("x");
        ArrayNode y = n.putArray("y");
        for (int i = 0; i < s.size(); i++) {
            x.add(s.x()[i]);
            y.add(s.y()[i]);
        }
    }

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
