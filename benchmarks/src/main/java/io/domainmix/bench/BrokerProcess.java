package io.domainmix.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link LocalBroker} in a child JVM on this JVM's class path; closing ends it. */
final class BrokerProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_S = 120;

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    static BrokerProcess start(String heap, Path dataDir) throws IOException, InterruptedException {
        Path log = Files.createTempFile("domainmix-bench-broker", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx" + heap, "-Xms" + heap,
                "-cp", System.getProperty("java.class.path"), LocalBroker.class.getName(), dataDir.toString()))
                .redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(LocalBroker.READY_PREFIX)) {
                Thread drain = new Thread(() -> drain(out), "broker-stdout");
                drain.setDaemon(true);
                drain.start();
                return new BrokerProcess(p, line.substring(LocalBroker.READY_PREFIX.length()).trim());
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IOException("the broker did not start; its log: " + log);
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // keep the pipe from filling up
            }
        } catch (IOException ignored) {
            // the broker has ended
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Process id, to read its CPU time and memory from outside. */
    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
