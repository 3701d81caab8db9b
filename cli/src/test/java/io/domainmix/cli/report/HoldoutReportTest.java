package io.domainmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.cli.DomainMixCommand;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.synth.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report without a ground truth, on records of core's trainer (as the job writes them) for
 * the linear-noise experiment: the training rows are the very rows the runs saw, the held-out
 * rows come from the same domains with another seed. With σ² = (1, 20) the oracle is known:
 * the offline fits' held-out loss per domain is about σ²_k / 2 and their λ ratio about 20.
 */
class HoldoutReportTest {
    private static final long SEED = 4;
    private static final long EXAMPLES = 40_000;
    private static final List<String> POLICIES = List.of("uniform+proportional", "fgls+proportional", "erma+va");

    @TempDir
    static Path dir;
    static Path split;
    static List<Path> records = new ArrayList<>();

    @BeforeAll
    static void records() throws IOException {
        Experiment experiment = Experiment.named("linear-noise", 10);
        for (String p : POLICIES) {
            String runId = PolicyRunIds.runId("holdout-linear-noise", PolicySpec.parse(p));
            Path s = dir.resolve(runId + ".snapshots.jsonl");
            Path m = dir.resolve(runId + ".metrics.jsonl");
            SimulatedRecords.writeRun(s, m, runId, experiment, PolicySpec.parse(p), SEED, EXAMPLES, 1000);
            records.add(s);
            records.add(m);
        }
        split = Files.createDirectories(dir.resolve("split"));
        // the runs' arrivals, regenerated from the same truth and seed, and held-out rows from another seed
        var truth = experiment.groundTruth(SEED);
        writeRows(split.resolve("training.jsonl"), experiment.arrivals(truth, SEED), EXAMPLES);
        writeRows(split.resolve("holdout.jsonl"), experiment.arrivals(truth, SEED + 1000), 10_000);
    }

    private static void writeRows(Path file, Experiment.Arrivals arrivals, long n) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < n; i++) {
                Example e = arrivals.next(arrivals.nextDomain());
                w.write(ExampleJsonCodec.encodeToString(e));
                w.write('\n');
            }
        }
    }

    private static JsonNode runReport(Path out) throws IOException {
        List<String> args = new ArrayList<>(List.of("report", "--holdout", split.toString(), "--out", out.toString()));
        for (Path r : records) {
            args.add(r.getFileName().toString().endsWith(".metrics.jsonl") ? "--metrics" : "--snapshots");
            args.add(r.toString());
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(text, true, StandardCharsets.UTF_8));
            code = DomainMixCommand.commandLine().execute(args.toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, text.toString(StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("offline FGLS"), text.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out.resolve(Report.JSON).toFile());
    }

    @Test
    void offlineReferenceMatchesTheNoiseThatMadeTheData() throws IOException {
        JsonNode ref = runReport(dir.resolve("out1")).get("reference");
        // held-out loss ½ E(y − θᵀx)² = σ²/2 plus the fit's own error (d/n · σ² ≈ 1e-3 here); 5,000
        // held-out rows a domain: relative sd √(2/5000) = 2 %, so 8 % is 4 sd
        assertEquals(0.5, ref.get("weightedHeldOutPerDomain").get(0).asDouble(), 0.08 * 0.5);
        assertEquals(10.0, ref.get("weightedHeldOutPerDomain").get(1).asDouble(), 0.08 * 10.0);
        assertEquals(1.0, ref.get("noiseLevel").get(0).asDouble(), 0.05);
        assertEquals(20.0, ref.get("noiseLevel").get(1).asDouble(), 0.05 * 20);
        assertEquals(20.0, ref.get("lossWeightSpread").asDouble(), 0.10 * 20);
        // FGLS minimizes the λ-weighted loss, OLS the plain one; on held-out rows that holds up to noise
        assertTrue(ref.get("weightedWeightedHeldOut").asDouble() <= ref.get("unweightedWeightedHeldOut").asDouble() * 1.01);
    }

    @Test
    void everyRunHasFiniteHeldOutCurvesAndTheNoiseAwareRunsRankTheDomainsAsTheReference() throws IOException {
        Path out = dir.resolve("out2");
        JsonNode root = runReport(out);
        assertEquals(3, root.get("runs").size());
        for (JsonNode r : root.get("runs")) {
            String policy = r.get("policy").asText();
            JsonNode curve = r.get("series").get("heldOut").get("y");
            assertTrue(curve.size() >= 30, policy + ": one point per snapshot (every 1,000 steps)");
            curve.forEach(v -> assertTrue(Double.isFinite(v.asDouble()), policy));
            assertEquals(EXAMPLES, r.get("examplesSeen").asLong());
            // SGD's tail-averaged θ̄ after 40,000 examples is close to the closed-form fits in loss
            // (the held-out loss is dominated by the noise σ²/2; the simulator shows θ̄'s excess)
            assertTrue(r.get("heldOutOverUnweighted").asDouble() < 1.10, policy + " " + r.get("heldOutOverUnweighted"));
            if (!policy.startsWith("uniform")) {
                assertTrue(r.get("lossWeightOrderAsReference").asBoolean(), policy);
                assertEquals(1.0, r.get("lossWeightSpreadOverReference").asDouble(), 0.5, policy);
                assertTrue(r.get("weightedHeldOutOverWeighted").asDouble() < 1.10, policy);
                // the same three facts as pass/fail checks: λ-weighted loss, λ rank and λ spread
                assertEquals(3, r.get("checks").size(), policy);
                r.get("checks").forEach(c -> assertTrue(c.get("passed").asBoolean(), policy + " " + c));
            } else {
                assertEquals(1.0, r.get("lossWeightSpread").asDouble(), 1e-9, "uniform weights stay equal");
                assertTrue(!r.get("lossWeightOrderAsReference").asBoolean(), "equal weights rank nothing");
                assertEquals(1, r.get("checks").size(), "uniform weights: the held-out check only");
                assertTrue(r.get("checks").get(0).get("passed").asBoolean(), r.get("checks").toString());
            }
        }
        String html = Files.readString(out.resolve(Report.HTML));
        assertTrue(html.contains("offline OLS") && html.contains("offline FGLS"), "the reference is in the page");
        for (String png : List.of("heldout-overall.png", "heldout-weighted.png", "heldout-d1.png", "heldout-d2.png",
                "lambda-d1.png", "p-d2.png")) {
            assertTrue(Files.size(out.resolve(png)) > 5_000, png);
        }
    }

    @Test
    void bothOrNeitherOfTruthAndHoldoutIsAUsageError() {
        assertEquals(2, DomainMixCommand.commandLine().execute("report", "--metrics", records.get(1).toString(),
                "--out", dir.resolve("out3").toString()));
        assertEquals(2, DomainMixCommand.commandLine().execute("report", "--metrics", records.get(1).toString(),
                "--holdout", split.toString(), "--truth", split.resolve("x.json").toString()));
    }
}
