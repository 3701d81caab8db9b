package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.cli.report.PolicyRunIds;
import io.domainmix.cli.report.Report;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationReport;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code domainmix demo} end to end at a small size: real broker, real local Flink cluster, real jobs. */
class DemoITCase {
    private static final long EXAMPLES = 40_000;
    private static final long SEED = 1;

    @TempDir
    Path out;

    @Test
    void demoTrainsTheGridAndReportsTheSimulatorsOrdering() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DemoCommand demo = new DemoCommand(console, console);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(demo).execute(
                "--experiment", "linear-noise", "--examples", String.valueOf(EXAMPLES), "--seed", String.valueOf(SEED),
                "--out", out.toString(), "--plain"));

        // while it runs, the Flink web UI answers on the printed localhost port
        URI webUi = awaitWebUi(bytes, exit);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> overview = http.send(HttpRequest.newBuilder(webUi.resolve("overview")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, overview.statusCode());
        assertTrue(overview.body().contains("flink-version"), overview.body());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(webUi).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), "web UI page");
        assertTrue(page.body().toLowerCase().contains("<html"), "web UI page is HTML");

        int code = exit.get(10, TimeUnit.MINUTES);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("oracle (closed form, all examples at once): GLS"), printed);
        assertTrue(printed.contains("Report: " + out.resolve(Report.HTML).toAbsolutePath()), printed);
        Matcher data = Pattern.compile("data in (\\S+)\\)").matcher(printed);
        assertTrue(data.find(), printed);
        assertFalse(Files.exists(Path.of(data.group(1))), "the broker's temporary data are removed");

        for (String file : List.of(Report.HTML, Report.JSON, "truth.json", "error.png", "lambda1.png", "p1.png",
                "gradient-noise.png", "prequential-loss-d1.png", "prequential-loss-d2.png")) {
            assertTrue(Files.isRegularFile(out.resolve(file)) && Files.size(out.resolve(file)) > 500, file);
        }

        List<PolicySpec> grid = PolicySpec.defaultGrid(ModelType.LINEAR);
        JsonNode report = new ObjectMapper().readTree(out.resolve(Report.JSON).toFile());
        Map<String, Double> error = new HashMap<>();
        for (JsonNode run : report.path("runs")) {
            String policy = run.path("policy").asText();
            assertEquals(EXAMPLES, run.path("examplesSeen").asLong(), policy);
            JsonNode series = run.path("series");
            for (String name : List.of("error", "lambda1", "p1", "noiseMeasured", "noisePredicted")) {
                assertFiniteNonEmpty(series.path(name), policy + " " + name);
            }
            assertFiniteNonEmpty(series.path("prequentialLoss").path("d1"), policy + " prequential d1");
            assertFiniteNonEmpty(series.path("prequentialLoss").path("d2"), policy + " prequential d2");
            error.put(policy, run.path("finalError").asDouble());
            assertTrue(Files.isRegularFile(out.resolve("records").resolve(run.path("runId").asText() + ".metrics.jsonl")));
        }
        assertEquals(grid.stream().map(PolicySpec::name).sorted().toList(), error.keySet().stream().sorted().toList());
        assertTrue(report.path("runs").get(0).path("runId").asText().endsWith(
                PolicyRunIds.runId("", grid.get(0)).substring(1)));

        // the reference simulator at the same size: noise-aware loss weights end below uniform ones
        SimulationSettings s = new SimulationSettings();
        s.examples = EXAMPLES;
        s.seeds = 2;
        s.firstSeed = SEED;
        s.threads = 2;
        SimulationReport sim = Simulator.run(Experiment.named("linear-noise", 20), s, grid);
        for (String noiseAware : List.of("erma+proportional", "erma+va", "fgls+proportional", "fgls+va")) {
            for (String uniform : List.of("uniform+proportional", "uniform+va")) {
                assertTrue(sim.result(noiseAware).error < sim.result(uniform).error, "simulator: " + noiseAware + " vs " + uniform);
                assertTrue(error.get(noiseAware) < error.get(uniform),
                        "demo: " + noiseAware + " " + error.get(noiseAware) + " vs " + uniform + " " + error.get(uniform));
            }
        }
    }

    /**
     * The demo on a real file: an excerpt of a four-source sensor dataset (see the test
     * resources' README), with two broken rows appended. The report must carry the offline
     * reference and finite held-out curves of every run; the offline FGLS must find the
     * outdoor motes (3, 4) the noisy ones, as the whole dataset's residuals say (σ̂² about 7
     * against 0.4 and 2).
     */
    @Test
    void demoOnADataFileReportsHeldOutLossesAgainstTheOfflineFits() throws Exception {
        Path file = out.resolve("sensors.csv");
        try (var in = DemoITCase.class.getResourceAsStream("/data/sensor-single-hop-excerpt.csv")) {
            Files.copy(in, file);
        }
        Files.writeString(file, "99990,1,1,,27.5,0\n99991,2,1,45.0,warm,0\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Path dir = out.resolve("demo");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DemoCommand demo = new DemoCommand(console, console);
        int code = new CommandLine(demo).execute("--data", file.toString(), "--domain-column", "mote_id",
                "--label-column", "temperature", "--features", "humidity,indoor", "--out", dir.toString(), "--plain");
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("Skipped 2 rows"), printed);
        assertTrue(printed.contains("offline FGLS"), printed);

        JsonNode enc = new ObjectMapper().readTree(dir.resolve("split").resolve("encoding.json").toFile());
        long training = 0;
        for (String mote : List.of("1", "2", "3", "4")) {
            long t = enc.path("trainingRows").path(mote).asLong();
            long h = enc.path("holdoutRows").path(mote).asLong();
            assertEquals(Math.round(0.2 * (t + h)), h, "mote " + mote + ": a fifth held out");
            training += t;
        }
        JsonNode report = new ObjectMapper().readTree(dir.resolve(Report.JSON).toFile());
        JsonNode lambda = report.path("reference").path("lossWeight");
        for (int quiet : new int[] {0, 1}) {
            for (int noisy : new int[] {2, 3}) {
                assertTrue(lambda.get(quiet).asDouble() > lambda.get(noisy).asDouble(), "offline λ " + lambda);
            }
        }
        assertTrue(Double.isFinite(report.path("reference").path("unweightedHeldOut").asDouble()));
        assertTrue(Double.isFinite(report.path("reference").path("weightedWeightedHeldOut").asDouble()));
        assertEquals(PolicySpec.defaultGrid(ModelType.LINEAR).size(), report.path("runs").size());
        for (JsonNode run : report.path("runs")) {
            String policy = run.path("policy").asText();
            assertEquals(training, run.path("examplesSeen").asLong(), policy);
            assertFiniteNonEmpty(run.path("series").path("heldOut"), policy + " held-out");
            assertFiniteNonEmpty(run.path("series").path("weightedHeldOut"), policy + " λ-weighted held-out");
            for (String mote : List.of("1", "2", "3", "4")) {
                assertFiniteNonEmpty(run.path("series").path("heldOutPerDomain").path(mote), policy + " mote " + mote);
                assertFiniteNonEmpty(run.path("series").path("lossWeight").path(mote), policy + " λ " + mote);
            }
            assertTrue(Double.isFinite(run.path("heldOutOverUnweighted").asDouble()), policy);
        }
        String html = Files.readString(dir.resolve(Report.HTML));
        assertTrue(html.contains("Offline reference") && html.contains("offline OLS") && html.contains("offline FGLS"));
        for (String png : List.of("heldout-overall.png", "heldout-weighted.png", "heldout-1.png", "heldout-4.png",
                "lambda-3.png", "p-2.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 5_000, png);
        }
    }

    private static URI awaitWebUi(ByteArrayOutputStream bytes, CompletableFuture<Integer> exit) throws InterruptedException {
        Pattern url = Pattern.compile("Flink web UI:\\s+(http://127\\.0\\.0\\.1:\\d+/)");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Matcher m = url.matcher(bytes.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (exit.isDone()) {
                throw new AssertionError("the demo ended before printing its web UI address:\n" + bytes);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no web UI address printed within 3 minutes:\n" + bytes);
    }

    private static void assertFiniteNonEmpty(JsonNode series, String what) {
        JsonNode y = series.path("y");
        assertTrue(y.isArray() && y.size() > 0, what + ": empty");
        assertEquals(series.path("x").size(), y.size(), what);
        for (JsonNode v : y) {
            assertTrue(v.isNumber() && Double.isFinite(v.asDouble()), what + ": " + v);
        }
    }
}
