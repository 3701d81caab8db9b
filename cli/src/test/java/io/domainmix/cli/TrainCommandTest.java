package io.domainmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code domainmix train} refuses before it starts anything, each with one line that names what to set. */
class TrainCommandTest {

    @TempDir
    Path work;

    private static String[] train(String... more) {
        String[] base = {"train", "--bootstrap-servers", "127.0.0.1:1", "--topics", "examples", "--bounded"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static String stderrOf(String[] args, int expectedCode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(expectedCode, DomainMixCommand.commandLine().execute(args));
        } finally {
            System.setErr(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWebUiPortInUseIsNamedWithTheOptionToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String printed = stderrOf(train("--web-ui-port", String.valueOf(taken.getLocalPort()),
                    "--checkpoint-dir", work.toUri().toString()), 2);
            assertTrue(printed.contains("port " + taken.getLocalPort()) && printed.contains("--web-ui-port"), printed);
            assertTrue(printed.lines().count() <= 2, "one plain line, no stack trace: " + printed);
        }
    }

    @Test
    void anUnwritableCheckpointDirectoryIsRefused() throws Exception {
        Path file = work.resolve("a-file");
        java.nio.file.Files.writeString(file, "not a directory");
        String printed = stderrOf(train("--web-ui-port", "0", "--checkpoint-dir", file.resolve("checkpoints").toUri().toString()), 2);
        assertTrue(printed.contains("cannot write checkpoints to") && printed.contains("--checkpoint-dir"), printed);
    }
}
