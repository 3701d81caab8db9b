package io.domainmix.cli.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.cli.DomainMixCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProduceOptionsTest {

    @Test
    void anUnknownRecordFormatIsAUsageErrorThatNamesTheAllowedValues() {
        StringWriter err = new StringWriter();
        CommandLine cl = DomainMixCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        // refused before any connection is tried: the broker address is never used
        int code = cl.execute("produce", "synthetic", "--experiment", "linear-noise", "--count", "10",
                "-b", "127.0.0.1:1", "--wire-format", "avro");
        assertEquals(2, code);
        String text = err.toString();
        assertTrue(text.contains("--wire-format") && text.contains("allowed: json, binary") && text.contains("avro"), text);
        assertFalse(text.contains("\tat "), text);
    }

    @Test
    void fileOptionsOfTheHoldoutAndEncodingNameWhatIsWrong(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("d.csv");
        java.nio.file.Files.writeString(f, "site,kind,x,y\na,u,1,2\nb,v,2,3\n");
        for (String[] bad : new String[][] {
                {"--label-transform", "sqrt", "allowed: none, log, standardize"},
                {"--holdout", "1.5", "--holdout must be at least 0 and below 1"},
                {"--categorical", "colour", "no categorical column 'colour'"},
                {"--missing", "drop", "allowed: skip, zero, mean"}}) {
            StringWriter err = new StringWriter();
            CommandLine cl = DomainMixCommand.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("produce", "file", f.toString(), "--domain-column", "site", "--label-column", "y",
                    "-b", "127.0.0.1:1", bad[0], bad[1]);
            assertEquals(2, code, err.toString());
            assertTrue(err.toString().contains(bad[2]), err.toString());
            assertFalse(err.toString().contains("\tat "), err.toString());
        }
    }
}
