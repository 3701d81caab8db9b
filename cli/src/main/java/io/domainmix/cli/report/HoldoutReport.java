package io.domainmix.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.offline.ReferenceFit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The report of runs on the user's own data, without a ground truth: {@code report.html}, the
 * plots beside it and {@code report.json}, from the runs' records, the rows they were trained
 * on and the held-out rows. The offline reference fits of the training rows are drawn dashed.
 */
public final class HoldoutReport {
    private HoldoutReport() {}

    /** What was written and the numbers behind it. */
    public record Result(Path html, Path json, Map<String, Path> plots, HoldoutEvaluation evaluation) {}

    public static Result write(List<RunRecords> runs, List<Example> training, List<Example> holdout, Path outDir,
                               String title) throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no snapshot or metrics records found: nothing to report");
        }
        HoldoutEvaluation ev = HoldoutEvaluation.of(runs, training, holdout);
        Files.createDirectories(outDir);
        HoldoutEvaluation.Reference ref = ev.reference();
        boolean linear = ev.spec().type() == ModelType.LINEAR;
        String unweightedName = linear ? "offline OLS" : "offline MLE";
        String weightedName = linear ? "offline FGLS" : "offline λ-weighted MLE";
        Map<String, Path> plots = new LinkedHashMap<>();
        List<HoldoutEvaluation.Run> rs = ev.runs();
        double[] span = span(rs);

        List<ReportCharts.Line> overall = perRun(rs, HoldoutEvaluation.Run::overall);
        List<ReportCharts.Line> weighted = perRun(rs, HoldoutEvaluation.Run::weighted);
        overall.add(flat(unweightedName, span, ref.unweightedOverall(), ReportCharts.REFERENCE));
        overall.add(flat(weightedName, span, ref.weightedOverall(), ReportCharts.SECOND_REFERENCE));
        weighted.add(flat(weightedName, span, ref.weightedWeighted(), ReportCharts.REFERENCE));
        weighted.add(flat(unweightedName, span, ref.unweightedWeighted(), ReportCharts.SECOND_REFERENCE));

        plots.put("heldout-overall", plot(outDir, "heldout-overall.png", "held-out loss of the published θ̄, all rows",
                "loss", overall));
        plots.put("heldout-weighted", plot(outDir, "heldout-weighted.png",
                "λ-weighted held-out loss Σ π λ L (λ of the " + weightedName + ")", "loss", weighted));

        List<String> domains = ev.domains();
        for (int k = 0; k < domains.size(); k++) {
            String d = domains.get(k);
            String safe = d.replaceAll("[^A-Za-z0-9._-]", "_");
            List<ReportCharts.Line> lines = perRun(rs, r -> r.perDomain().get(d));
            lines.add(flat(unweightedName, span, ref.unweightedPerDomain()[k], ReportCharts.REFERENCE));
            lines.add(flat(weightedName, span, ref.weightedPerDomain()[k], ReportCharts.SECOND_REFERENCE));

            plots.put("heldout-" + d, plot(outDir, "heldout-" + safe + ".png", "held-out loss of domain " + d, "loss",
                    lines));
        }
        for (int k = 0; k < domains.size(); k++) {
            String d = domains.get(k);
            String safe = d.replaceAll("[^A-Za-z0-9._-]", "_");
            List<ReportCharts.Line> lines = perRun(rs, r -> r.lossWeight().get(d));
            lines.add(flat(weightedName + " λ", span, ref.fit().lossWeight()[k], ReportCharts.REFERENCE));

            plots.put("lambda-" + d, plot(outDir, "lambda-" + safe + ".png", "loss weight λ of " + d, "λ " + d, lines));
        }
        for (String d : domains) {
            String safe = d.replaceAll("[^A-Za-z0-9._-]", "_");
            plots.put("p-" + d, plot(outDir, "p-" + safe + ".png", "sampling probability p of " + d, "p " + d,
                    perRun(rs, r -> r.samplingProbability().get(d))));
        }
        Path json = outDir.resolve(Report.JSON);
        writeJson(json, title, ev, unweightedName, weightedName);
        Path html = outDir.resolve(Report.HTML);
        writeHtml(html, title, ev, plots, unweightedName, weightedName, training.size(), holdout.size());
        return new Result(html, json, plots, ev);
    }

    /** Losses on a log axis (the first models' losses are orders of magnitude above the last), weights on a linear one. */
    private static Path plot(Path dir, String file, String title, String yLabel, List<ReportCharts.Line> lines)
            throws IOException {
        Path p = dir.resolve(file);
        ReportCharts.write(p, title, yLabel, lines, yLabel.equals("loss"));
        return p;
    }

    private static List<ReportCharts.Line> perRun(List<HoldoutEvaluation.Run> runs,
                                                  Function<HoldoutEvaluation.Run, Series> f) {
        List<ReportCharts.Line> lines = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Series s = f.apply(runs.get(i));
            if (s != null) {
                lines.add(new ReportCharts.Line(runs.get(i).label(), s, i, false));
            }
        }
        return lines;
    }

    private static ReportCharts.Line flat(String label, double[] span, double y, int colour) {
        return new ReportCharts.Line(label, new Series(label, span, new double[] {y, y}), colour, true);
    }

    private static double[] span(List<HoldoutEvaluation.Run> runs) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (HoldoutEvaluation.Run r : runs) {
            for (Series s : List.of(r.overall(), r.lossWeight().values().stream().findFirst().orElse(r.overall()))) {
                if (!s.isEmpty()) {
                    lo = Math.min(lo, s.x()[0]);
                    hi = Math.max(hi, s.x()[s.size() - 1]);
                }
            }
        }
        return Double.isFinite(lo) && hi > lo ? new double[] {lo, hi} : new double[] {0, 1};
    }

    /** θ̄'s loss over the reference's: the ratios the README's checks quote. */
    static double ratio(double run, double reference) {
        return Double.isFinite(run) && reference > 0 ? run / reference : Double.NaN;
    }

    private static void writeJson(Path file, String title, HoldoutEvaluation ev, String unweightedName,
                                  String weightedName) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("title", title);
        root.put("model", ev.spec().toString());
        ArrayNode ds = root.putArray("domains");
        ev.domains().forEach(ds::add);
        HoldoutEvaluation.Reference ref = ev.reference();
        ReferenceFit f = ref.fit();
        ObjectNode o = root.putObject("reference");
        o.put("unweighted", unweightedName);
        o.put("weighted", weightedName);
        putArray(o, "share", f.share());
        putArray(o, "noiseLevel", f.noiseLevel());
        putArray(o, "lossWeight", f.lossWeight());
        Report.putNumber(o, "lossWeightSpread", HoldoutEvaluation.spreadOf(f.lossWeight()));
        putArray(o, "unweightedTheta", f.unweightedTheta());
        putArray(o, "weightedTheta", f.weightedTheta());
        putArray(o, "unweightedHeldOutPerDomain", ref.unweightedPerDomain());
        Report.putNumber(o, "unweightedHeldOut", ref.unweightedOverall());
        Report.putNumber(o, "unweightedWeightedHeldOut", ref.unweightedWeighted());
        putArray(o, "weightedHeldOutPerDomain", ref.weightedPerDomain());
        Report.putNumber(o, "weightedHeldOut", ref.weightedOverall());
        Report.putNumber(o, "weightedWeightedHeldOut", ref.weightedWeighted());

        ArrayNode runs = root.putArray("runs");
        for (HoldoutEvaluation.Run r : ev.runs()) {
            ObjectNode n = runs.addObject();
            n.put("runId", r.runId());
            n.put("policy", r.label());
            n.put("examplesSeen", r.examplesSeen());
            putArray(n, "heldOutPerDomain", r.finalPerDomain());
            Report.putNumber(n, "heldOut", r.finalOverall());
            Report.putNumber(n, "weightedHeldOut", r.finalWeighted());
            putArray(n, "lossWeight", r.finalLossWeight());
            putArray(n, "samplingProbability", r.finalSamplingProbability());
            Report.putNumber(n, "lossWeightSpread", HoldoutEvaluation.spreadOf(r.finalLossWeight()));
            Report.putNumber(n, "heldOutOverUnweighted", ratio(r.finalOverall(), ref.unweightedOverall()));
            Report.putNumber(n, "weightedHeldOutOverWeighted", ratio(r.finalWeighted(), ref.weightedWeighted()));
            Report.putNumber(n, "lossWeightSpreadOverReference", ratio(HoldoutEvaluation.spreadOf(r.finalLossWeight()),
                    HoldoutEvaluation.spreadOf(ref.fit().lossWeight())));
            n.put("lossWeightOrderAsReference", HoldoutEvaluation.sameOrder(r.finalLossWeight(), ref.fit().lossWeight()));
            ArrayNode checks = n.putArray("checks");
            for (HoldoutChecks.Check c : HoldoutChecks.of(r, ref)) {
                ObjectNode cn = checks.addObject();
                cn.put("check", c.name());
                Report.putNumber(cn, "value", c.value());
                cn.put("target", c.target());
                cn.put("passed", c.passed());
            }

            ObjectNode series = n.putObject("series");
            Report.putSeries(series, "heldOut", r.overall());
            Report.putSeries(series, "weightedHeldOut", r.weighted());
            ObjectNode pd = series.putObject("heldOutPerDomain");
            r.perDomain().forEach((d, s) -> Report.putSeries(pd, d, s));
            ObjectNode lw = series.putObject("lossWeight");
            r.lossWeight().forEach((d, s) -> Report.putSeries(lw, d, s));
            ObjectNode sp = series.putObject("samplingProbability");
            r.samplingProbability().forEach((d, s) -> Report.putSeries(sp, d, s));
        }
        mapper.writeValue(file.toFile(), root);
    }

    private static void writeHtml(Path file, String title, HoldoutEvaluation ev, Map<String, Path> plots,
                                  String unweightedName, String weightedName, int trainingRows, int holdoutRows)
            throws IOException {
        StringBuilder h = HtmlReport.head(title);
        List<String> domains = ev.domains();
        HoldoutEvaluation.Reference ref = ev.reference();
        h.append("<p>Model: ").append(HtmlReport.esc(ev.spec().toString())).append(". Evaluated on ")
                .append(holdoutRows).append(" held-out rows; the offline reference is fitted on the ").append(trainingRows)
                .append(" training rows the runs were fed. There is no ground truth: the held-out loss is the measure.</p>\n");
        h.append("<h2>Offline reference</h2>\n<table>\n<tr><th>domain</th><th>training share π</th><th>")
                .append(ev.spec().type() == ModelType.LINEAR ? "noise σ̂²" : "mean log-loss")
                .append("</th><th>λ</th><th>held-out rows</th><th>").append(HtmlReport.esc(unweightedName))
                .append(" held-out</th><th>").append(HtmlReport.esc(weightedName)).append(" held-out</th></tr>\n");
        for (int k = 0; k < domains.size(); k++) {
            h.append("<tr><td>").append(HtmlReport.esc(domains.get(k))).append("</td><td>")
                    .append(Report.format(ref.fit().share()[k])).append("</td><td>")
                    .append(Report.format(ref.fit().noiseLevel()[k])).append("</td><td>")
                    .append(Report.format(ref.fit().lossWeight()[k])).append("</td><td>")
                    .append(ev.holdoutRows(domains.get(k))).append("</td><td>")
                    .append(Report.format(ref.unweightedPerDomain()[k])).append("</td><td>")
                    .append(Report.format(ref.weightedPerDomain()[k])).append("</td></tr>\n");
        }
        h.append("<tr><td>all rows</td><td></td><td></td><td></td><td></td><td>")
                .append(Report.format(ref.unweightedOverall())).append("</td><td>")
                .append(Report.format(ref.weightedOverall())).append("</td></tr>\n");
        h.append("<tr><td>λ-weighted Σ π λ L</td><td></td><td></td><td></td><td></td><td>")
                .append(Report.format(ref.unweightedWeighted())).append("</td><td>")
                .append(Report.format(ref.weightedWeighted())).append("</td></tr>\n</table>\n");

        h.append("<h2>Runs</h2>\n<table>\n<tr><th>policy</th><th>examples</th><th>held-out</th>");
        h.append("<th>÷ ").append(HtmlReport.esc(unweightedName)).append("</th><th>λ-weighted</th><th>÷ ")
                .append(HtmlReport.esc(weightedName)).append("</th><th>λ max/min ÷ reference</th><th>λ order</th>");

        for (String d : domains) {
            h.append("<th>λ ").append(HtmlReport.esc(d)).append("</th>");
        }
        for (String d : domains) {
            h.append("<th>p ").append(HtmlReport.esc(d)).append("</th>");
        }
        h.append("</tr>\n");
        for (HoldoutEvaluation.Run r : ev.runs()) {
            h.append("<tr><td>").append(HtmlReport.esc(r.label())).append("</td><td>").append(r.examplesSeen())
                    .append("</td><td>").append(Report.format(r.finalOverall())).append("</td>");
            h.append("<td>").append(Report.format(ratio(r.finalOverall(), ref.unweightedOverall()))).append("</td><td>")
                    .append(Report.format(r.finalWeighted())).append("</td><td>")
                    .append(Report.format(ratio(r.finalWeighted(), ref.weightedWeighted()))).append("</td><td>")
                    .append(Report.format(ratio(HoldoutEvaluation.spreadOf(r.finalLossWeight()),
                            HoldoutEvaluation.spreadOf(ref.fit().lossWeight())))).append("</td><td>")
                    .append(HoldoutEvaluation.sameOrder(r.finalLossWeight(), ref.fit().lossWeight()) ? "as reference"
                            : "differs").append("</td>");

            for (double v : r.finalLossWeight()) {
                h.append("<td>").append(Report.format(v)).append("</td>");
            }
            for (double v : r.finalSamplingProbability()) {
                h.append("<td>").append(Report.format(v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p>Held-out: the mean loss of the last published θ̄ over the held-out rows. λ-weighted: "
                + "Σ π_k λ_k L_k with the reference's λ (the objective the noise-aware loss weights aim at). "
                + "λ order: whether the run ranks the domains by weight strictly as the reference does (equal "
                + "weights rank nothing).</p>\n");
        h.append("<h2>Plots</h2>\n");
        for (Map.Entry<String, Path> p : plots.entrySet()) {
            HtmlReport.figure(h, p.getKey(), p.getValue(), caption(p.getKey(), unweightedName, weightedName));
        }
        h.append("<p>The series behind every plot are in <code>").append(Report.JSON).append("</code>.</p>\n");
        h.append("</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    private static String caption(String key, String unweightedName, String weightedName) {
        if (key.equals("heldout-overall")) {
            return "The mean held-out loss of each published θ̄ against the examples it had seen; dashed: the "
                    + unweightedName + " (black) and " + weightedName + " (grey) fits of all the training rows at once.";
        }
        if (key.equals("heldout-weighted")) {
            return "The held-out loss weighted by the reference's loss weights, the objective that noise-aware "
                    + "weights target; dashed: the " + weightedName + " (black) and " + unweightedName + " (grey).";
        }
        if (key.startsWith("heldout-")) {
            return "Held-out loss on domain " + key.substring("heldout-".length()) + "; dashed: the offline fits.";
        }
        if (key.startsWith("lambda-")) {
            return "The loss weight of domain " + key.substring("lambda-".length()) + " in force against examples seen; "
                    + "dashed: the " + weightedName + "'s λ from the offline noise estimate.";
        }
        return "The sampling probability of domain " + key.substring("p-".length()) + " against examples seen.";
    }

    private static void putArray(ObjectNode n, String field, double[] v) {
        ArrayNode a = n.putArray(field);
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
    }
}
