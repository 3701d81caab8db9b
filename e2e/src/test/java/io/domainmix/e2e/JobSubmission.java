package io.domainmix.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code POST /jars/<id>/run} (or {@code flink run}) gets: the jar, its program arguments,
 * and optionally a savepoint, a default parallelism and an entry class other than the jar's main class.
 */
public record JobSubmission(Path jar, List<String> args, Optional<String> savepointPath, Optional<Integer> parallelism,
                            Optional<String> entryClass) {

    public static JobSubmission of(Path jar, String... args) {
        return of(jar, List.of(args));
    }

    public static JobSubmission of(Path jar, List<String> args) {
        return new JobSubmission(jar, List.copyOf(args), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public JobSubmission fromSavepoint(String path) {
        return new JobSubmission(jar, args, Optional.of(path), parallelism, entryClass);
    }

    public JobSubmission withParallelism(int p) {
        return new JobSubmission(jar, args, savepointPath, Optional.of(p), entryClass);
    }

    public JobSubmission withEntryClass(String className) {
        return new JobSubmission(jar, args, savepointPath, parallelism, Optional.of(className));
    }
}
