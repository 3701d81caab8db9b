package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo --data}: bad options are refused with a message naming them, before any broker or cluster starts. */
class DemoDataOptionsTest {
    @TempDir
    Path dir;

    private String refused(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new DemoCommand(console, console)).execute(args);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, printed);
        assertTrue(!printed.contains("Kafka:"), "nothing started: " + printed);
        return printed;
    }

    @Test
    void missingFileColumnsAndModelsAreNamed() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "site,x,y\na,1,2\nb,2,3\n");
        assertTrue(refused("--data", dir.resolve("none.csv").toString(), "--domain-column", "site", "--label-column", "y")
                .contains("cannot read"));
        assertTrue(refused("--data", f.toString(), "--label-column", "y").contains("--domain-column"));
        assertTrue(refused("--data", f.toString(), "--domain-column", "site").contains("--label-column"));
        assertTrue(refused("--data", f.toString(), "--domain-column", "site", "--label-column", "z")
                .contains("no label column 'z'; columns: site, x, y"));
        assertTrue(refused("--data", f.toString(), "--domain-column", "site", "--label-column", "y", "--model", "mlp")
                .contains("linear or logistic"));
        assertTrue(refused("--data", f.toString(), "--domain-column", "site", "--label-column", "y",
                "--label-transform", "sqrt").contains("allowed: none, log, standardize"));
        assertTrue(refused("--data", f.toString(), "--domain-column", "site", "--label-column", "y", "--holdout", "1")
                .contains("--holdout"));
    }
}
