package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.cli.broker.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code domainmix train --bounded} over many domains in one shared topic checkpoints to files
 * while it runs and reports no failed checkpoint: the first waits until every task runs, and none
 * is triggered while a finishing task closes. Two runs, each of which must have completed at least
 * two checkpoints (every 300 ms over a replay of one to a few seconds, the last one the final
 * checkpoint of the bounded input) and failed none.
 */
class TrainCheckpointsITCase {
    private static final Pattern SUMMARY = Pattern.compile("checkpoints (\\d+) completed.*?, (\\d+) failed");
    private static final int DOMAINS = 600;
    private static final int PER_DOMAIN = 100;

    @TempDir
    Path work;

    @Test
    void aBoundedRunOverManyDomainsCompletesCheckpointsAndFailsNone() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            assertEquals(0, DomainMixCommand.commandLine().execute("produce", "synthetic", "--many-domains",
                    String.valueOf(DOMAINS), "--count", String.valueOf(PER_DOMAIN), "--rate", "0", "--topic", "examples",
                    "--partitions", "4", "--bootstrap-servers", broker.bootstrapServers(), "--no-truth-file",
                    "--no-truth-topic", "--progress", "off"), "produce exit code");
            for (int run = 1; run <= 2; run++) {
                String printed = train(broker, "ck-" + run);
                Matcher m = SUMMARY.matcher(printed);
                assertTrue(m.find(), printed);
                long completed = Long.parseLong(m.group(1));
                long failed = Long.parseLong(m.group(2));
                System.out.printf("run %d: %d completed, %d failed%n", run, completed, failed);
                assertTrue(completed >= 2, "completed checkpoints: " + printed);
                assertEquals(0, failed, "failed checkpoints: " + printed);
            }
        }
    }

    private String train(EmbeddedKafkaBroker broker, String runId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int code;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            code = DomainMixCommand.commandLine().execute("train", "--web-ui-port", "0",
                    "--bootstrap-servers", broker.bootstrapServers(), "--topics", "examples", "--bounded",
                    "--run-id", runId, "--snapshot-topic", runId + "-snapshots", "--metrics-topic", runId + "-metrics",
                    "--dead-letter-topic", runId + "-dead-letters", "--checkpoint-interval-ms", "300",
                    "--checkpoint-dir", work.resolve(runId).toUri().toString());
        } finally {
            System.setOut(out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("domainmix train: finished"), printed);
        return printed;
    }
}
