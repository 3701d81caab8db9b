package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.cli.report.Report;
import io.domainmix.core.synth.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code domainmix demo --experiment all} (cli/DEMO.md) at a reduced size: every experiment in
 * turn on one broker and one local cluster. Experiments after the first find topics that earlier
 * runs, and the live view's consumers, have already made.
 */
class DemoAllExperimentsITCase {
    @TempDir
    Path out;

    @Test
    void runsEveryExperimentInTurn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new DemoCommand(console, console))
                .setOut(new PrintWriter(console, true)).setErr(new PrintWriter(console, true)).execute(
                "--experiment", "all", "--examples", "2000", "--dim", "4", "--policies", "erma+va",
                "--out", out.toString(), "--plain");
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertFalse(printed.contains("Exception"), printed);
        for (String name : Experiment.paperNames()) {
            assertTrue(printed.contains("== " + name + ":"), name + " did not run:\n" + printed);
            Path report = out.resolve(name).resolve(Report.HTML);
            assertTrue(Files.isRegularFile(report), "no report for " + name + ":\n" + printed);
            assertTrue(printed.contains("Report: " + report.toAbsolutePath()), printed);
        }
    }
}
