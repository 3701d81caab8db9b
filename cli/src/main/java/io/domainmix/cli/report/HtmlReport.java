package io.domainmix.cli.report;

import io.domainmix.core.synth.DomainSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** {@code report.html}: one file that opens offline, with the plots embedded as data URIs. */
final class HtmlReport {
    private HtmlReport() {}

    private static final Map<String, String> CAPTIONS = Map.of(
            "error", "How far the published (averaged) model is from the truth, against the examples it has seen. "
                    + "Loss weights that follow each domain's noise (fgls, erma) should end lowest; the dashed line is "
                    + "the closed-form GLS estimate from all the data with the true noise variances.",
            "lambda1", "The loss weight of the reference domain: what the objective counts. Under uniform it stays 1; "
                    + "fgls and erma move it towards the inverse of the domain's noise.",
            "p1", "The sampling probability of the reference domain: how often a step draws from it. Proportional "
                    + "follows the arrival share; va follows π·λ·√M (the gradient scale).",
            "gradient-noise", "The second moment of the per-slot weighted gradient, measured over each interval "
                    + "(solid) and predicted from the statistics for the weights in force (dashed). They should agree; "
                    + "va sampling should lower it.");

    static void write(Path file, String title, TruthDocument truth, ErrorMeasure measure, OracleEstimates oracle,
                      String reference, List<RunEvaluation> evals, Map<String, Path> plots, List<String> domainOrder)
            throws IOException {
        StringBuilder h = head(title);
        h.append("<p>Model: ").append(esc(truth.modelType().optionName()))
                .append(", dimension ").append(truth.truth().dimension).append(". ");
        if (!truth.domains().isEmpty()) {
            h.append("Domains: ");
            for (int i = 0; i < truth.domains().size(); i++) {
                DomainSpec d = truth.domains().get(i);
                h.append(i > 0 ? "; " : "").append("<b>").append(esc(d.name())).append("</b> (feature scale C = ")
                        .append(Report.format(d.featureScale()));
                if (d.flipRate() > 0) {
                    h.append(", label flips q = ").append(plain(d.flipRate()));
                } else {
                    h.append(", noise σ² = ").append(plain(d.noiseVariance()));
                }
                h.append(')');
            }
            h.append(". ");
        }
        h.append("Every run trained on the same examples.</p>\n");
        if (oracle != null) {
            h.append("<p>Closed-form estimators from all the examples: GLS (true noise) error ")
                    .append(Report.format(oracle.glsError)).append(", one-shot FGLS ").append(Report.format(oracle.fglsError))
                    .append(", OLS ").append(Report.format(oracle.olsError)).append(".</p>\n");
        }

        h.append("<h2>Summary</h2>\n<table>\n<tr><th>policy</th><th>examples</th><th>")
                .append(esc(measure == null ? "error" : measure.shortName())).append("</th>");
        if (oracle != null) {
            h.append("<th>÷ GLS</th>");
        }
        h.append("<th>grad. noise</th><th>predicted</th>");
        List<String> domains = domainOrder;
        for (String d : domains) {
            h.append("<th>λ ").append(esc(d)).append("</th>");
        }
        for (String d : domains) {
            h.append("<th>p ").append(esc(d)).append("</th>");
        }
        h.append("</tr>\n");
        for (RunEvaluation e : evals) {
            h.append("<tr><td>").append(esc(e.label)).append("</td><td>").append(e.examplesSeen).append("</td><td>")
                    .append(Report.format(e.finalError)).append("</td>");
            if (oracle != null) {
                h.append("<td>").append(Report.format(e.finalError / oracle.glsError)).append("</td>");
            }
            h.append("<td>").append(Report.format(e.finalNoiseMeasured)).append("</td><td>")
                    .append(Report.format(e.finalNoisePredicted)).append("</td>");
            for (String d : domains) {
                h.append("<td>").append(Report.format(e.lossWeightOf(d))).append("</td>");
            }
            for (String d : domains) {
                h.append("<td>").append(Report.format(e.samplingProbabilityOf(d))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p>Gradient noise: mean over the last tenth of each run. λ and p: the weights in force at "
                + "the end. Reference domain of the λ and p plots: <b>").append(esc(reference)).append("</b>.</p>\n");

        h.append("<h2>Plots</h2>\n");
        for (Map.Entry<String, Path> p : plots.entrySet()) {
            String caption = CAPTIONS.getOrDefault(p.getKey(), p.getKey().startsWith("prequential-loss-")
                    ? "The loss of each arriving example under the newest published model, before training on it "
                            + "(an honest held-out loss), as a moving average, for domain "
                            + p.getKey().substring("prequential-loss-".length()) + "."
                    : "");
            figure(h, p.getKey(), p.getValue(), caption);
        }
        if (domains.size() > Report.MAX_DOMAIN_PLOTS) {
            h.append("<p>Prequential-loss plots of the first ").append(Report.MAX_DOMAIN_PLOTS).append(" of ")
                    .append(domains.size()).append(" domains; the series of all of them are in <code>")
                    .append(Report.JSON).append("</code>.</p>\n");
        }
        h.append("<p>The series behind every plot are in <code>").append(Report.JSON).append("</code>.</p>\n");
        h.append("</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    /** The page's start: styles and the heading. */
    static StringBuilder head(String title) {
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>domainmix report: ")
                .append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:14px}\n")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
                .append("th{background:#f3f3f3} td:first-child,th:first-child{text-align:left}\n")
                .append("figure{margin:2em 0} figcaption{color:#555;font-size:14px;max-width:900px}\n")
                .append("img{max-width:100%;border:1px solid #eee}\n")
                .append("</style></head><body>\n");
        h.append("<h1>domainmix report: ").append(esc(title)).append("</h1>\n");
        return h;
    }

    /** A plot embedded as a data URI, with its caption and file name. */
    static void figure(StringBuilder h, String key, Path png, String caption) throws IOException {
        h.append("<figure><img alt=\"").append(esc(key)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\">\n")
                .append("<figcaption>").append(esc(caption)).append(" (file: ")
                .append(esc(png.getFileName().toString())).append(")</figcaption></figure>\n");
    }

    /** A setting as it was written: 20, not 20.0000. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
