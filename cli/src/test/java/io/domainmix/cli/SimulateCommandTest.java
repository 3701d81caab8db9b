package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

    @Test
    void badValuesGetTheirMessageAndTheAllowedValuesNotAStackTrace() {
        for (String[] args : new String[][] {
                {"simulate", "--experiment", "foo"},
                {"simulate", "--policies", "erma+fast"}}) {
            StringWriter err = new StringWriter();
            CommandLine cl = DomainMixCommand.commandLine();
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(args));
            String text = err.toString();
            assertTrue(text.contains("allowed:"), text);
            assertTrue(!text.contains("\tat "), text);
        }
    }

    /** Runs {@code simulate ARGS --json} and parses what it prints. */
    private static JsonNode simulateJson(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            List<String> all = new ArrayList<>(List.of("simulate"));
            all.addAll(List.of(args));
            all.add("--json");
            code = DomainMixCommand.commandLine().execute(all.toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        return new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aChangeExperimentsJsonCarriesTheAdaptationOfEveryPolicy() throws Exception {
        JsonNode r = simulateJson("--experiment", "drift", "--examples", "40000", "--seeds", "2", "--dim", "5",
                "--policies", "erma+va,fgls+va", "--stats-window", "1024");
        assertTrue(r.get("oracle").get("lastQuarterGlsError").isNumber());
        for (int i = 0; i < 2; i++) {
            JsonNode a = r.get("results").get(i).get("adaptation");
            assertEquals("d2", a.get("domain").asText());
            assertEquals(20_000, a.get("changeAtExample").asLong());
            assertTrue(a.get("lastQuarterError").isNumber());
            for (String w : new String[] {"lossWeight", "sampling"}) {
                JsonNode n = a.get(w);
                assertTrue(n.get("target").isNumber() && n.get("adapted").isBoolean() && n.get("lastQuarterError").isNumber(), w);
                assertEquals(2, n.get("perSeed").size(), w);
                assertEquals(n.get("adapted").asBoolean(), n.get("adaptationExamples").isNumber(), w);
            }
        }
        // cumulative FGLS never follows the jump: reported, not left out
        JsonNode fgls = r.get("results").get(1).get("adaptation").get("lossWeight");
        assertTrue(!fgls.get("adapted").asBoolean() && fgls.get("adaptationExamples").isNull(), fgls.toString());
        assertTrue(r.get("results").get(0).get("adaptation").get("lossWeight").get("adapted").asBoolean(),
                "erma with windows of 1,024: " + r.get("results").get(0).get("adaptation"));
        assertTrue(r.get("results").get(2).get("adaptation").isNull(), "the closed-form row has none");
    }

    @Test
    void jsonOutputHasTheDocumentedFields() throws Exception {
        JsonNode r = simulateJson("--experiment", "linear-noise", "--examples", "5000", "--seeds", "2", "--dim", "5",
                "--policies", "uniform+proportional,erma+va");
        assertEquals("linear-noise", r.get("experiment").asText());
        assertEquals(5000, r.get("examples").asLong());
        assertTrue(r.get("oracle").get("glsError").isNumber());
        assertEquals(3, r.get("results").size(), "two policies and the closed-form row");
        JsonNode erma = r.get("results").get(1);
        assertEquals("erma", erma.get("lossWeights").asText());
        assertEquals("va", erma.get("sampling").asText());
        assertEquals("corrected", erma.get("mode").asText());
        for (String f : new String[] {"error", "errorSd", "cosineDistance", "heldOutLoss", "heldOutLossNoisy", "gradientNoise",
                "predictedGradientNoise"}) {
            assertTrue(erma.get(f).isNumber(), f);
        }
        assertEquals(2, erma.get("finalLossWeights").size());
        assertEquals(2, erma.get("finalSamplingProbs").size());
        assertEquals("closed-form", r.get("results").get(2).get("sampling").asText());
    }
}
