package io.domainmix.testkit;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a separate operating-system process, its stdout and stderr appended to a
 * log file. The JVM is launched directly (no shell in between) so that {@link #kill()} sends
 * SIGKILL to the JVM itself, which is what a crashed machine looks like to Flink and Kafka.
 *
 * <p>Every process still alive when the test JVM exits is killed by a shutdown hook, so a
 * test that dies half-way leaves no brokers or TaskManagers behind.
 */
public final class ChildProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final List<ChildProcess> STARTED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-child-processes"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean oneShot;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} in {@code workDir}. */
    public static ChildProcess startJava(
            String name,
            Path workDir,
            List<String> jvmArgs,
            String classpath,
            String mainClass,
            List<String> args,
            Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(
                    logFile,
                    "==== " + name + ": " + mainClass + " " + withoutPasswords(String.join(" ", args)) + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // A child inheriting the test JVM's stdin would hold the fork's pipe open.
            builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            Process process = builder.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            ChildProcess child = new ChildProcess(name, process, logFile);
            STARTED.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** The command line as logged: a {@code password=...} value (SCRAM credentials, JAAS settings) is hidden. */
    static String withoutPasswords(String commandLine) {
        return commandLine.replaceAll("(?i)(password=\\\"?)[^,\\]\\s\";]+", "$1[hidden]");
    }

    /** Runs a short-lived JVM to completion and returns its output; fails on a non-zero exit. */
    public static String runJava(
            String name, Path workDir, String classpath, String mainClass, List<String> args, Duration timeout) {
        Path log = workDir.resolve(name + ".log");
        ChildProcess child = startJava(name, workDir, List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), classpath, mainClass, args, log);
        child.oneShot = true;
        try {
            if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                child.kill();
                throw new IllegalStateException(name + " did not finish within " + timeout + "\n" + child.tail(40));
            }
            if (child.process.exitValue() != 0) {
                throw new IllegalStateException(
                        name + " exited with " + child.process.exitValue() + "\n" + child.tail(40));
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.kill();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every process started by this JVM, oldest first: what a failing test prints the logs of. */
    public static List<ChildProcess> started() {
        return List.copyOf(STARTED);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A tool run to completion that succeeded: its log explains no failure. */
    public boolean isSucceededTool() {
        return oneShot && !process.isAlive() && process.exitValue() == 0;
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (the process runs its shutdown hooks); SIGKILL if it is not gone in time. */
    public void terminate(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(grace)) {
            kill();
        }
    }

    /** Sends SIGTERM without waiting, so that several processes can shut down at once. */
    public void requestTermination() {
        process.destroy();
    }

    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the log, headed by the process name and state. */
    public String tail(int lines) {
        StringBuilder out = new StringBuilder()
                .append("---- ")
                .append(name)
                .append(" (pid ")
                .append(process.pid())
                .append(process.isAlive() ? ", running" : ", exited " + process.exitValue())
                .append(") ")
                .append(logFile)
                .append(System.lineSeparator());
        for (String line : lastLines(logFile, lines)) {
            out.append(line).append(System.lineSeparator());
        }
        return out.toString();
    }

    public static List<String> lastLines(Path file, int lines) {
        if (!Files.exists(file)) {
            return List.of("(no log file)");
        }
        // Logs of a long run are large; read only the end.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 256L * 1024);
            raf.seek(from);
            byte[] bytes = new byte[(int) (length - from)];
            raf.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(could not read log: " + e + ")");
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }
}
