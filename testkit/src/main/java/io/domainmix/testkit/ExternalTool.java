package io.domainmix.testkit;

import java.io.File;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A program some tests run that the build cannot fetch (kcat, docker-compose). Where it is
 * missing, the test is reported as skipped with the reason and the install command; on a CI
 * machine ({@code CI=true}) it fails instead, so a suite cannot turn green by losing tests.
 *
 * <p>Call {@link #require} inside the test method (or its {@code @BeforeEach}): an assumption
 * that fails in {@code @BeforeAll} makes surefire report "Tests run: 0" with no reason.
 */
public final class ExternalTool {
    private ExternalTool() {}

    /** The first executable named {@code name} on {@code PATH}. */
    public static Optional<File> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Whether the tests run on a CI machine, where every tool must be present. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Passes when {@code available}; otherwise aborts the test (skipped, with {@code reason}) or,
     * with {@code CI=true}, fails it.
     */
    public static void require(boolean available, String reason) {
        if (available) {
            return;
        }
        if (onCi()) {
            throw new AssertionError(reason + " (CI=true: every tool must be installed, see .ci/run)");
        }
        Assumptions.abort(reason);
    }

    /** {@link #require} for the first of {@code names} found on {@code PATH}; returns which one. */
    public static String requireOnPath(List<String> names, String installHint) {
        for (String name : names) {
            if (find(name).isPresent()) {
                return name;
            }
        }
        require(false, String.join(" or ", names) + " is not on PATH (" + installHint + ")");
        throw new IllegalStateException("unreachable");
    }
}
