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

    @Test
    void jsonOutputHasTheDocumentedFields() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = DomainMixCommand.commandLine().execute("simulate", "--experiment", "linear-noise", "--examples", "5000",
                    "--seeds", "2", "--dim", "5", "--policies", "uniform+proportional,erma+va", "--json");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        JsonNode r = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertEquals("linear-noise", r.get("experiment").asText());
        assertEquals(5000, r.get("examples").asLong());
        assertTrue(r.get("oracle").get("glsError").isNumber());
        assertEquals(3, r.get("results").size(), "two policies and the closed-form row");
        JsonNode erma = r.get("results").get(1);
        assertEquals("erma", erma.get("lossWeights").asText());
        assertEquals("va", erma.get("sampling").asText());
        assertEquals("corrected", erma.get("mode").asText());
        for (String f : new String[] {"error", "errorSd", "cosineDistance", "heldOutLoss", "gradientNoise", "predictedGradientNoise"}) {
            assertTrue(erma.get(f).isNumber(), f);
        }
        assertEquals(2, erma.get("finalLossWeights").size());
        assertEquals(2, erma.get("finalSamplingProbs").size());
        assertEquals("closed-form", r.get("results").get(2).get("sampling").asText());
    }
}
