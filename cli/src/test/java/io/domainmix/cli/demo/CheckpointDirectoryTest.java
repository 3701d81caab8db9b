package io.domainmix.cli.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the empty folders a finished job leaves are removed; a retained checkpoint stays. */
class CheckpointDirectoryTest {
    @TempDir
    Path root;

    @Test
    void removesAFinishedJobsEmptyFoldersAndKeepsOneThatHoldsAFile() throws Exception {
        String uri = root.toUri().toString();
        Files.createDirectories(root.resolve("job1/chk-6"));
        Files.createDirectories(root.resolve("job1/shared"));
        Files.createDirectories(root.resolve("job1/taskowned"));
        Files.createDirectories(root.resolve("job2/chk-3"));
        Files.writeString(root.resolve("job2/chk-3/_metadata"), "kept");

        assertTrue(CheckpointDirectory.removeIfEmpty(uri, "job1"));
        assertFalse(Files.exists(root.resolve("job1")));
        assertFalse(CheckpointDirectory.removeIfEmpty(uri, "job2"));
        assertTrue(Files.exists(root.resolve("job2/chk-3/_metadata")));
        assertFalse(CheckpointDirectory.removeIfEmpty("s3://bucket/ck", "job1"), "not a local directory");
    }

    @Test
    void waitsForFlinkToDiscardTheLastFilesThenRemovesTheFolders() throws Exception {
        Path file = root.resolve("job3/chk-9/_metadata");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "discarded soon");
        Thread discard = new Thread(() -> {
            try {
                Thread.sleep(300);
                Files.delete(file);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        discard.start();
        assertTrue(CheckpointDirectory.removeWhenEmpty(root.toUri().toString(), "job3", java.time.Duration.ofSeconds(30)));
        discard.join();
        assertFalse(Files.exists(root.resolve("job3")));
    }
}
