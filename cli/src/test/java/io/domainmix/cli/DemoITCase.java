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
