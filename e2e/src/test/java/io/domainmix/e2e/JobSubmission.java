package io.domainmix.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What {@code POST /jars/<id>/run} gets: the jar, its program arguments, and optionally a savepoint and a default parallelism. */
public record JobSubmission(Path jar, List<String> args, Optional<String> savepointPath, Optional<Integer> parallelism) {

    public static JobSubmission of(Path jar, String... args) {
        return new JobSubmission(jar, List.of(args), Optional.empty(), Optional.empty());
    }

    public static JobSubmission of(Path jar, List<String> args) {
        return new JobSubmission(jar, List.copyOf(args), Optional.empty(), Optional.empty());
    }

    public JobSubmission fromSavepoint(String path) {
        return new JobSubmission(jar, args, Optional.of(path), parallelism);
    }

    public JobSubmission withParallelism(int p) {
        return new JobSubmission(jar, args, savepointPath, Optional.of(p));
    }
}
