package io.domainmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.cli.DomainMixCommand;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.synth.Experiment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final long SEED = 3;
    private static final List<String> POLICIES = List.of("uniform+proportional", "erma+va", "fgls+proportional",
            "conflated-va");

    @TempDir
    static Path dir;
    static Path truth;
    static Path snapshots;
    static List<Path> metrics = new ArrayList<>();

    @BeforeAll
    static void records() throws IOException {
        Experiment experiment = Experiment.named("linear-noise", 10);
        truth = SimulatedRecords.writeTruth(dir.resolve("truth.json"), experiment, SEED);
        snapshots = dir.resolve("snapshots.jsonl");
        StringBuilder allSnapshots = new StringBuilder("not json at all\n\n");
        for (String p : POLICIES) {
            String runId = PolicyRunIds.runId("test-linear-noise", PolicySpec.parse(p));
            Path s = dir.resolve(runId + ".snapshots.jsonl");
            Path m = dir.resolve(runId + ".metrics.jsonl");
            SimulatedRecords.writeRun(s, m, runId, experiment, PolicySpec.parse(p), SEED, 40_000, 1000);
            allSnapshots.append(Files.readString(s));
            metrics.add(m);
        }
        // one file with the snapshots of every run, as saved from one shared topic
        Files.writeString(snapshots, allSnapshots, StandardCharsets.UTF_8);
    }

    @Test
    void commandWritesHtmlPlotsAndSeriesOfEveryPolicy() throws IOException {
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("report", "--truth", truth.toString(), "--out", out.toString()));
        // metrics first and in reverse: the report still lists the runs in the grid's order
        for (int i = metrics.size() - 1; i >= 0; i--) {
            args.add("--metrics");
            args.add(metrics.get(i).toString());
        }
        args.add("--snapshots");
        args.add(snapshots.toString());
        int code = DomainMixCommand.commandLine().execute(args.toArray(new String[0]));
        assertEquals(0, code);

        Path html = out.resolve(Report.HTML);
        assertTrue(Files.isRegularFile(html));
        String page = Files.readString(html);
        for (String png : List.of("error.png", "lambda1.png", "p1.png", "gradient-noise.png", "prequential-loss-d1.png",
                "prequential-loss-d2.png")) {
            Path file = out.resolve(png);
            assertTrue(Files.isRegularFile(file), png);
            byte[] bytes = Files.readAllBytes(file);
            assertTrue(bytes.length > 5_000, png + " is only " + bytes.length + " bytes");
            assertEquals((byte) 0x89, bytes[0]);
            assertEquals('P', bytes[1]);
            assertTrue(page.contains("(file: " + png + ")"), png + " not in the page");
        }
        assertEquals(6, page.split("data:image/png;base64,", -1).length - 1, "embedded images");
        assertFalse(page.contains("src=\"error.png\""), "the page must not link to files beside it");
        for (String p : POLICIES) {
            assertTrue(page.contains("<td>" + p + "</td>"), p + " missing from the summary table");
        }

        JsonNode json = new ObjectMapper().readTree(out.resolve(Report.JSON).toFile());
        List<String> order = new ArrayList<>();
        json.path("runs").forEach(r -> order.add(r.path("policy").asText()));
        assertEquals(POLICIES, order, "grid order");
        for (JsonNode run : json.path("runs")) {
            JsonNode series = run.path("series");
            for (String name : List.of("error", "lambda1", "p1", "noiseMeasured", "noisePredicted")) {
                assertFiniteNonEmpty(series.path(name), run.path("policy").asText() + " " + name);
            }
            assertFiniteNonEmpty(series.path("prequentialLoss").path("d1"), "prequential d1");
            assertFiniteNonEmpty(series.path("prequentialLoss").path("d2"), "prequential d2");
            assertEquals(40_000, run.path("examplesSeen").asLong());
        }
    }

    @Test
    void finalErrorsFollowTheNoiseAwareOrderingAndTheOracle() throws IOException {
        RecordReader reader = new RecordReader().readFile(snapshots);
        for (Path m : metrics) {
            reader.readFile(m);
        }
        assertEquals(1, reader.skippedCount(), "the line that is not JSON (blank lines are not records)");
        Report.Result r = Report.write(reader.runs(), TruthDocument.read(truth), dir.resolve("direct"), "linear-noise");
        Map<String, RunEvaluation> byPolicy = new java.util.HashMap<>();
        r.runs().forEach(e -> byPolicy.put(e.label, e));
        assertEquals(POLICIES.size(), byPolicy.size());

        assertNotNull(r.oracle());
        assertTrue(r.oracle().glsError < r.oracle().olsError, "GLS must beat OLS on linear-noise");
        double uniform = byPolicy.get("uniform+proportional").finalError;
        assertTrue(byPolicy.get("erma+va").finalError < uniform, "erma below uniform");
        assertTrue(byPolicy.get("fgls+proportional").finalError < uniform, "fgls below uniform");

        // uniform loss weights stay 1; noise-aware ones favour the clean domain d1
        for (double l : byPolicy.get("uniform+proportional").lambda1.y()) {
            assertEquals(1.0, l, 1e-12);
        }
        RunEvaluation fgls = byPolicy.get("fgls+proportional");
        assertTrue(fgls.lossWeightOf("d1") > 5 * fgls.lossWeightOf("d2"), "fgls λ: " + fgls.lossWeightOf("d1")
                + " vs " + fgls.lossWeightOf("d2"));
        // measured and predicted gradient noise agree in size
        RunEvaluation erma = byPolicy.get("erma+va");
        double ratio = erma.finalNoiseMeasured / erma.finalNoisePredicted;
        assertTrue(ratio > 0.7 && ratio < 1.4, "measured/predicted noise " + ratio);
    }

    @Test
    void logisticRunsAreMeasuredByCosineDistance() throws IOException {
        Experiment experiment = Experiment.named("logistic-scale", 5);
        Path t = SimulatedRecords.writeTruth(dir.resolve("logistic-truth.json"), experiment, SEED);
        Path s = dir.resolve("logistic.snapshots.jsonl");
        Path m = dir.resolve("logistic.metrics.jsonl");
        SimulatedRecords.writeRun(s, m, "logistic.erma_va", experiment, PolicySpec.parse("erma+va"), SEED, 10_000, 500);
        RecordReader reader = new RecordReader().readFile(s).readFile(m);
        Report.Result r = Report.write(reader.runs(), TruthDocument.read(t), dir.resolve("logistic"), "logistic-scale");
        assertEquals("cos.dist", r.measure().shortName());
        assertEquals(null, r.oracle());
        RunEvaluation e = r.runs().get(0);
        assertEquals("erma+va", e.label);
        assertTrue(e.finalError >= 0 && e.finalError < 0.2, "cosine distance " + e.finalError);
        assertTrue(e.error.y()[0] > e.finalError, "the cosine distance shrinks with training");
    }

    @Test
    void aReportOfThousandsOfDomainsPlotsTheFirstTwelveOnly() {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            many.add(String.format("d%04d", i));
        }
        List<String> plotted = Report.plottedDomains(many);
        assertEquals(Report.MAX_DOMAIN_PLOTS, plotted.size(), "the page embeds every plot: 1,000 would not fit a heap");
        assertEquals(many.subList(0, 12), plotted);
        List<String> few = many.subList(0, 5);
        assertEquals(few, Report.plottedDomains(few), "a few domains all get their plot");
    }

    @Test
    void missingSourceIsAPlainError() {
        int code = DomainMixCommand.commandLine().execute("report", "--truth", truth.toString(), "--out",
                dir.resolve("none").toString(), "--metrics", dir.resolve("no-such.jsonl").toString());
        assertEquals(2, code);
        assertFalse(Files.exists(dir.resolve("none").resolve(Report.HTML)));
    }

    private static void assertFiniteNonEmpty(JsonNode series, String what) {
        JsonNode x = series.path("x");
        JsonNode y = series.path("y");
        assertTrue(x.isArray() && x.size() > 0, what + ": empty");
        assertEquals(x.size(), y.size(), what);
        for (int i = 0; i < y.size(); i++) {
            assertTrue(y.get(i).isNumber() && Double.isFinite(y.get(i).asDouble()), what + "[" + i + "] = " + y.get(i));
            assertTrue(x.get(i).isNumber(), what);
        }
    }
}
