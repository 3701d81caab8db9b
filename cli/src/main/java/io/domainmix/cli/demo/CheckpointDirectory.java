package io.domainmix.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A finished job's checkpoint directory under a local {@code --checkpoint-dir}. Flink discards a
 * finished job's checkpoints but leaves their empty folders ({@code <job id>/chk-N},
 * {@code shared}, {@code taskowned}); a local run removes them, and only them: a folder that still
 * holds a file (a retained checkpoint) is kept.
 */
public final class CheckpointDirectory {
    private CheckpointDirectory() {}

    /**
     * Waits up to {@code patience} for Flink to discard the finished job's checkpoint files (it
     * does so in the background after the job's result is out), then removes the empty folders;
     * true when they are gone.
     */
    public static boolean removeWhenEmpty(String checkpointDir, String jobId, java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            if (removeIfEmpty(checkpointDir, jobId)) {
                return true;
            }
            if (System.nanoTime() >= deadline || !checkpointDir.startsWith("file:")) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Removes {@code <checkpointDir>/<jobId>} when it holds no file; true when it is gone. */
    public static boolean removeIfEmpty(String checkpointDir, String jobId) {
        if (!checkpointDir.startsWith("file:")) {
            return false;
        }
        Path dir = Path.of(URI.create(checkpointDir)).resolve(jobId);
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = all.sorted(Comparator.reverseOrder()).toList();
            if (paths.stream().anyMatch(Files::isRegularFile)) {
                return false;
            }
            for (Path p : paths) {
                Files.delete(p);
            }
            return true;
        } catch (IOException | java.io.UncheckedIOException e) {
            // Flink may still be discarding a checkpoint folder while we walk it (the walk then
            // fails with NoSuchFileException): try again on the next round, or leave it to the user
            return false;
        }
    }
}
