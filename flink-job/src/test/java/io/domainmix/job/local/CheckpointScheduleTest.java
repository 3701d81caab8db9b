package io.domainmix.job.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** When the local schedule may trigger a checkpoint, read from the REST API's job details. */
class CheckpointScheduleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape of {@code GET /jobs/<id>} (the fields the schedule reads): two vertices' subtasks by state. */
    private static JsonNode details(String state, String sourceTasks, String trainerTasks) throws Exception {
        return JSON.readTree("{\"state\":\"" + state + "\",\"vertices\":[{\"name\":\"source\",\"status\":\"RUNNING\",\"tasks\":"
                + sourceTasks + "},{\"name\":\"trainer\",\"status\":\"RUNNING\",\"tasks\":" + trainerTasks + "}]}");
    }

    @Test
    void waitsUntilNoSubtaskIsStartingEvenWhenItsVertexSaysRunning() throws Exception {
        // Flink calls a vertex RUNNING as soon as one of its subtasks runs: the other may still initialize
        assertFalse(CheckpointSchedule.everyTaskRunsOrFinished(details("RUNNING",
                "{\"RUNNING\":1,\"INITIALIZING\":1,\"FINISHED\":0}", "{\"RUNNING\":1}")));
        assertFalse(CheckpointSchedule.everyTaskRunsOrFinished(details("RUNNING",
                "{\"RUNNING\":2}", "{\"DEPLOYING\":1}")));
        assertTrue(CheckpointSchedule.everyTaskRunsOrFinished(details("RUNNING",
                "{\"RUNNING\":2,\"INITIALIZING\":0}", "{\"RUNNING\":1}")));
    }

    @Test
    void finishedSubtasksDoNotHoldBackTheFinalCheckpointOfABoundedInput() throws Exception {
        // the source has finished and the trainer waits for a checkpoint before it may finish too
        assertTrue(CheckpointSchedule.everyTaskRunsOrFinished(details("RUNNING", "{\"FINISHED\":2}", "{\"RUNNING\":1}")));
        assertFalse(CheckpointSchedule.everyTaskRunsOrFinished(details("RUNNING", "{\"FINISHED\":2}", "{\"FINISHED\":1}")));
    }

    @Test
    void nothingWhileTheJobRestartsOrHasEnded() throws Exception {
        assertFalse(CheckpointSchedule.everyTaskRunsOrFinished(details("RESTARTING", "{\"RUNNING\":2}", "{\"RUNNING\":1}")));
        assertFalse(CheckpointSchedule.everyTaskRunsOrFinished(details("RUNNING", "{\"CANCELING\":1,\"RUNNING\":1}",
                "{\"RUNNING\":1}")));
        assertFalse(CheckpointSchedule.everyTaskRunsOrFinished(details("FINISHED", "{\"FINISHED\":2}", "{\"FINISHED\":1}")));
    }

    @Test
    void dueAnIntervalAfterTheLastTriggerAndHalfOneAfterTheLastCompletion() {
        long interval = 1000;
        long pause = 500;
        assertTrue(CheckpointSchedule.isDue(1000, 0, -1000, interval, pause));
        assertFalse(CheckpointSchedule.isDue(999, 0, -1000, interval, pause), "an interval after the last trigger");
        // the last one took 900 ms: the next waits until half an interval after it completed
        assertFalse(CheckpointSchedule.isDue(1000, 0, 900, interval, pause));
        assertTrue(CheckpointSchedule.isDue(1400, 0, 900, interval, pause));
    }

    @Test
    void handOverLeavesCheckpointingOnButFlinksTimerOutOfReach() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment();
        env.enableCheckpointing(1000);
        CheckpointSchedule.handOver(env);
        assertTrue(env.getCheckpointConfig().isCheckpointingEnabled(), "exactly-once sinks and the final checkpoint need it on");
        assertEquals(CheckpointSchedule.FLINK_INTERVAL.toMillis(), env.getCheckpointConfig().getCheckpointInterval());
        // Flink's first trigger falls between the minimum pause and the interval after the start
        assertEquals(CheckpointSchedule.FLINK_INTERVAL.toMillis(), env.getCheckpointConfig().getMinPauseBetweenCheckpoints());
    }

    @Test
    void checkpointsTriggeredElsewhereCountToo() throws Exception {
        // GET /jobs/<id>/checkpoints: the newest (2) was triggered at 10,000 and took 300 ms; both were ours
        JsonNode stats = JSON.readTree("{\"counts\":{\"in_progress\":0},\"history\":[{\"id\":2,\"trigger_timestamp\":10000,"
                + "\"end_to_end_duration\":300},{\"id\":1,\"trigger_timestamp\":9000,\"end_to_end_duration\":250}]}");
        Set<Long> ours = Set.of(1L, 2L);
        assertFalse(CheckpointSchedule.isDue(10_700, stats, ours, 1000, 500, 3000), "half an interval after it ended");
        assertFalse(CheckpointSchedule.isDue(10_900, stats, ours, 1000, 500, 3000), "an interval after it was triggered");
        assertTrue(CheckpointSchedule.isDue(11_000, stats, ours, 1000, 500, 3000));
        JsonNode running = JSON.readTree("{\"counts\":{\"in_progress\":1},\"history\":[]}");
        assertFalse(CheckpointSchedule.isDue(99_000, running, ours, 1000, 500, 3000), "one in progress");
        assertTrue(CheckpointSchedule.isDue(99_000, JSON.readTree("{\"counts\":{\"in_progress\":0},\"history\":[]}"),
                ours, 1000, 500, 3000), "none yet");
    }

    @Test
    void holdsOffAfterTheFinalCheckpointFlinkTriggersAtTheEndOfABoundedInput() throws Exception {
        // checkpoint 3 was not ours: Flink's own, once every task reached the end of its data
        JsonNode stats = JSON.readTree("{\"counts\":{\"in_progress\":0},\"history\":[{\"id\":3,\"trigger_timestamp\":10000,"
                + "\"end_to_end_duration\":100},{\"id\":2,\"trigger_timestamp\":9500,\"end_to_end_duration\":200}]}");
        assertFalse(CheckpointSchedule.isDue(11_500, stats, Set.of(1L, 2L), 1000, 500, 3000),
                "the tasks close after it: a trigger now would be declined");
        assertTrue(CheckpointSchedule.isDue(13_100, stats, Set.of(1L, 2L), 1000, 500, 3000));
        assertTrue(CheckpointSchedule.isDue(11_500, stats, Set.of(1L, 2L, 3L), 1000, 500, 3000), "had it been ours");
    }
}
