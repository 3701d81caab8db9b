package io.domainmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of an experiment with a change point: the changed domain's weights, the change marked. */
class ChangeReportTest {
    private static final long SEED = 2;
    private static final long EXAMPLES = 60_000;

    @TempDir
    Path dir;

    @Test
    void driftGetsPlotsOfTheChangedDomainAndAnOracleThatKnowsTheChange() throws IOException {
        Experiment experiment = Experiment.named("drift", 10);
        Path truthFile = SimulatedRecords.writeTruth(dir.resolve("truth.json"), experiment, SEED, EXAMPLES);
        RecordReader reader = new RecordReader();
        for (String p : List.of("erma+va", "fgls+va")) {
            String runId = PolicyRunIds.runId("test-drift", PolicySpec.parse(p));
            Path s = dir.resolve(runId + ".snapshots.jsonl");
            Path m = dir.resolve(runId + ".metrics.jsonl");
            SimulatedRecords.writeRun(s, m, runId, experiment, PolicySpec.parse(p), SEED, EXAMPLES, 500);
            if (p.equals("erma+va")) {
                // a metrics record that carries a health event, as the job publishes one when it happens
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                List<String> lines = Files.readAllLines(m);
                com.fasterxml.jackson.databind.node.ObjectNode record =
                        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(lines.get(lines.size() / 2));
                record.putArray("healthEvents").addObject().put("domain", "d2").put("kind", "loss-up")
                        .put("arrivals", 33_333).put("message", "domain d2: loss 19.8× higher");
                lines.add(lines.size() / 2 + 1, json.writeValueAsString(record));
                Files.write(m, lines);
            }
            reader.readFile(s);
            reader.readFile(m);
        }
        TruthDocument truth = TruthDocument.read(truthFile);
        assertTrue(truth.changes());
        assertEquals("d2", truth.experiment().changedDomain());

        Report.Result r = Report.write(reader.runs(), truth, dir.resolve("out"), "drift");
        for (String plot : List.of("lambda-changed", "p-changed")) {
            Path png = r.plots().get(plot);
            assertTrue(png != null && Files.size(png) > 5_000, plot + ": " + png);
        }
        // the oracle is GLS knowing the change, as the simulator computes it on the same stream
        SimulationSettings whole = new SimulationSettings();
        whole.examples = EXAMPLES;
        assertEquals(Simulator.closedForm(experiment, whole, SEED).glsError, r.oracle().glsError, 1e-12);
        // the plotted λ of d2 is the runs' own: erma's ends near the GLS weight after the change, fgls's does not
        double target = 0.05 / 0.525;
        RunEvaluation erma = r.runs().stream().filter(e -> e.label.startsWith("erma")).findFirst().orElseThrow();
        RunEvaluation fgls = r.runs().stream().filter(e -> e.label.startsWith("fgls")).findFirst().orElseThrow();
        assertEquals(target, erma.lossWeights.get("d2").lastY(), 0.2 * target);
        assertTrue(fgls.lossWeights.get("d2").lastY() > 1.2 * target, "cumulative fgls: " + fgls.lossWeights.get("d2").lastY());
        assertEquals(List.of(new MetricsPoint.HealthMark("d2", "loss-up", 33_333, "domain d2: loss 19.8× higher")),
                erma.healthEvents);
        assertEquals(List.of(), fgls.healthEvents);
        String page = Files.readString(r.html());
        assertTrue(page.contains("lambda-changed.png") && page.contains("p-changed.png"));
    }
}
