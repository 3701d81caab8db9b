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
}
