package io.domainmix.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One plain line per failed checkpoint, from the REST API's checkpoint statistics. */
class CheckpointWatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape of {@code GET /jobs/<id>/checkpoints} (fields the watch reads). */
    private static JsonNode stats(long failed, long latestFailedId, String reason, long stateSize) throws Exception {
        return JSON.readTree("{\"counts\":{\"completed\":3,\"failed\":" + failed + "},\"latest\":{\"failed\":{\"id\":"
                + latestFailedId + ",\"state_size\":" + stateSize + ",\"checkpointed_size\":0,\"failure_message\":"
                + JSON.writeValueAsString(reason) + "}}}");
    }

    @Test
    void printsEachFailedCheckpointOnceWithSizeReasonAndWhatToSet() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CheckpointWatch watch = new CheckpointWatch(URI.create("http://127.0.0.1:1/"), "job", "file:///ck", 3, out);
        String memory = "java.io.IOException: Size of the state is larger than the maximum permitted memory-backed state. "
                + "Size=7225544, maxSize=5242880.\n\tat a.b.C(C.java:1)";
        watch.report(stats(0, 0, "", 0));
        watch.report(stats(1, 4, memory, 7_225_544));
        watch.report(stats(1, 4, memory, 7_225_544)); // polled again: nothing new
        watch.report(stats(2, 5, "Checkpoint expired before completing.", 2048));
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(4, lines.length, text);
        assertTrue(lines[0].startsWith("checkpoint 4 failed (6.9 MB written): java.io.IOException: Size of the state"), lines[0]);
        assertTrue(lines[1].contains("set --checkpoint-dir to a directory"), lines[1]);
        assertTrue(lines[1].contains("After 4 failed in a row the job restarts"), lines[1]);
        assertTrue(lines[2].startsWith("checkpoint 5 failed (2.0 kB written): Checkpoint expired"), lines[2]);
        assertTrue(lines[3].contains("a larger --checkpoint-interval-ms"), lines[3]);
        assertTrue(!text.contains("\tat "), "no stack trace: " + text);
    }

    @Test
    void summarySaysCompletedFailedAndTheLastOnesSizeAndTime() throws Exception {
        assertEquals("no checkpoint statistics seen", CheckpointWatch.summary(null));
        JsonNode stats = JSON.readTree("{\"counts\":{\"completed\":12,\"failed\":1},\"latest\":{\"completed\":"
                + "{\"id\":13,\"checkpointed_size\":7249906,\"end_to_end_duration\":79}},\"history\":["
                + "{\"status\":\"FAILED\",\"failure_message\":\"Checkpoint expired before completing.\"}]}");
        assertEquals("12 completed (the last: 6.9 MB in 0.1 s), 1 failed", CheckpointWatch.summary(stats));
    }

    @Test
    void checkpointsDeclinedWhileABoundedJobFinishesAreSaidToNeedNothing() throws Exception {
        JsonNode failed = JSON.readTree("{\"id\":7,\"state_size\":1400,\"failure_message\":"
                + "\"Checkpoint was declined (task is closing)\"}");
        String line = CheckpointWatch.message(failed, "file:///ck", 3);
        assertEquals("checkpoint 7 was declined while tasks started or finished (Checkpoint was declined (task is closing)); "
                + "nothing to set: the next one includes everything.", line);
        JsonNode stats = JSON.readTree("{\"counts\":{\"completed\":6,\"failed\":4},\"history\":["
                + "{\"status\":\"FAILED\",\"failure_message\":\"Checkpoint was declined (task is closing)\"},"
                + "{\"status\":\"COMPLETED\"},"
                + "{\"status\":\"FAILED\",\"failure_message\":\"Checkpoint was declined (tasks not ready)\"},"
                + "{\"status\":\"FAILED\",\"failure_message\":\"Checkpoint expired before completing.\"}]}");
        assertEquals("6 completed, 4 failed (of the last 3 failed, 2 declined while tasks started or finished); "
                + "1 failed before starting, while tasks started or finished",
                CheckpointWatch.summary(stats));
    }

    @Test
    void theRunsSummaryAccountsForEveryFailureByKind() throws Exception {
        java.util.Map<Long, String> seen = new java.util.HashMap<>();
        // two polls: the history moves on, the failures seen stay counted
        CheckpointWatch.remember(JSON.readTree("{\"history\":[{\"id\":3,\"status\":\"FAILED\",\"failure_message\":"
                + "\"Checkpoint was declined (task is closing)\"},{\"id\":2,\"status\":\"COMPLETED\"}]}"), seen);
        JsonNode end = JSON.readTree("{\"counts\":{\"completed\":20,\"failed\":5},\"latest\":{\"completed\":"
                + "{\"id\":30,\"checkpointed_size\":11114905,\"end_to_end_duration\":240}},\"history\":["
                + "{\"id\":29,\"status\":\"FAILED\",\"failure_message\":\"Checkpoint expired before completing.\"}]}");
        CheckpointWatch.remember(end, seen);
        assertEquals("20 completed (the last: 10.6 MB in 0.2 s), 5 failed: 3 could not be triggered (tasks not yet running, "
                + "or finishing at the end of the input: Flink counts these as failed), 1 declined while tasks started or "
                + "finished, 1 failed while the job ran", CheckpointWatch.summary(end, seen));
        assertEquals("4 completed, 0 failed", CheckpointWatch.summary(JSON.readTree("{\"counts\":{\"completed\":4,\"failed\":0}}"),
                java.util.Map.of()));
    }
}
