package io.domainmix.e2e;

import io.domainmix.testkit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What the build hands to the end-to-end tests: the classpaths of the cluster processes and
 * the job jar. Failsafe passes them as system properties; the defaults are the same paths
 * relative to the module, so a test also runs from an IDE after {@code mvn package}.
 */
public final class E2EEnvironment {

    private E2EEnvironment() {}

    /** Classpath of a Flink JobManager/TaskManager: Flink and log4j only, like a distribution's lib/. */
    public static String flinkClasspath() {
        return readClasspath("e2e.flink.classpath.file", "target/flink-cluster-classpath.txt");
    }

    /** Classpath of the Kafka broker process. */
    public static String brokerClasspath() {
        return readClasspath("e2e.broker.classpath.file", "target/kafka-broker-classpath.txt");
    }

    /** The shaded job jar, exactly the artifact a user submits to a cluster. */
    public static Path jobJar() {
        Path jar = Path.of(System.getProperty(
                        "e2e.job.jar", "../flink-job/target/domainmix-flink-job-0.1.0-SNAPSHOT-cluster.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("job jar " + jar + " not found: run mvn package for flink-job first");
        }
        return jar;
    }

    /**
     * A private copy of the job jar under {@code dir}, taken once: a test that runs for minutes
     * must not see the jar change under it when the module is rebuilt meanwhile. The copy is
     * checked to be a complete jar (a rebuild in progress leaves a truncated one; then it waits).
     */
    public static Path copyOfJobJar(Path dir) {
        Path copy = dir.resolve("domainmix-flink-job.jar");
        return Await.until("a complete copy of " + jobJar(), Duration.ofMinutes(2), Duration.ofSeconds(1), () -> {
            try {
                Files.copy(jobJar(), copy, StandardCopyOption.REPLACE_EXISTING);
                try (JarFile jar = new JarFile(copy.toFile())) {
                    if (jar.getManifest() == null || jar.getManifest().getMainAttributes().getValue("Main-Class") == null) {
                        return Optional.empty();
                    }
                    // Reading every entry is what detects a jar cut short while being written.
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                }
                return Optional.of(copy);
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** A fresh, empty directory for one fixture or test under {@code target/e2e}. */
    public static Path freshDirectory(String name) {
        Path dir = Path.of(System.getProperty("e2e.work.dir", "target/e2e"))
                .resolve(name)
                .toAbsolutePath()
                .normalize();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readClasspath(String property, String fallback) {
        Path file = Path.of(System.getProperty(property, fallback));
        try {
            String classpath = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (classpath.isEmpty()) {
                throw new IllegalStateException("empty classpath in " + file);
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "classpath file " + file + " missing: the build writes it at generate-test-resources", e);
        }
    }
}
