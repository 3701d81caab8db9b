package io.domainmix.cli.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft server that is broker and controller,
 * listening on 127.0.0.1 only, with its log directory in a fresh temporary directory that
 * {@link #close()} removes. Started the way Kafka's own launcher does it: storage formatted with
 * a new cluster id, then {@code kafka.server.KafkaRaftServer}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    /** Below this much free space in the temporary directory the broker is not started. */
    static final long MIN_FREE_BYTES = 512L * 1024 * 1024;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final int port;
    private final Server server;
    private boolean closed;

    private EmbeddedKafkaBroker(Path dir, int port, Server server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Starts a broker on a free port. */
    public static EmbeddedKafkaBroker start() {
        return start(0);
    }

    /**
     * Starts a broker and returns once it answers requests.
     *
     * @param port the client port, or 0 for a free one (the controller always gets a free one)
     * @throws BrokerStartException with a plain message: port in use, out of disk, or the cause
     */
    public static EmbeddedKafkaBroker start(int port) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < (port == 0 ? START_ATTEMPTS : 1); attempt++) {
            try {
                return startOnce(port);
            } catch (PortTakenException e) {
                // a free port found by probing can be taken by another process before the broker binds it
                last = e;
            }
        }
        if (port != 0) {
            throw new BrokerStartException("port " + port + " on 127.0.0.1 is already in use; "
                    + "stop what uses it or choose another port (0 picks a free one)", last);
        }
        throw new BrokerStartException("could not bind the Kafka broker to a free port on 127.0.0.1", last);
    }

    private static EmbeddedKafkaBroker startOnce(int requestedPort) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        checkFreeSpace(tmp);
        int port = requestedPort != 0 ? requestedPort : freePort();
        if (requestedPort != 0 && !isFree(requestedPort)) {
            throw new BrokerStartException("port " + requestedPort + " on 127.0.0.1 is already in use; "
                    + "stop what uses it or choose another port (0 picks a free one)", null);
        }
        int controllerPort = freePort();
        Path dir;
        try {
            dir = Files.createTempDirectory(tmp, "domainmix-kafka-");
        } catch (IOException e) {
            throw new BrokerStartException("cannot create a directory for the broker in " + tmp + ": " + e.getMessage(), e);
        }
        Server server = null;
        try {
            Properties props = serverProperties(dir, port, controllerPort);
            Path propsFile = dir.resolve("server.properties");
            try (var out = Files.newOutputStream(propsFile)) {
                props.store(out, "single-node KRaft broker of domainmix");
            }
            format(propsFile);
            server = raftServer(props);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port, server);
            broker.awaitReady();
            return broker;
        } catch (RuntimeException | IOException e) {
            shutdownQuietly(server);
            deleteRecursively(dir);
            if (causedByBind(e)) {
                throw new PortTakenException(e);
            }
            if (isOutOfSpace(e)) {
                throw new BrokerStartException("out of disk space in " + tmp + " while starting the Kafka broker; "
                        + "free some space or point java.io.tmpdir elsewhere", e);
            }
            throw e instanceof BrokerStartException b ? b
                    : new BrokerStartException("the Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** A combined broker and controller (KRaft) server for the properties. */
    private static Server raftServer(Properties props) {
        return new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    }

    static Properties serverProperties(Path dir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // the demo's data are small: keep segments and index preallocation small too
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.setProperty("transaction.max.timeout.ms", "900000");
        return p;
    }

    private static void format(Path propsFile) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int code;
        try {
            code = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    propsFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new BrokerStartException("formatting the broker's storage failed: " + e.getMessage()
                    + "\n" + captured.toString(StandardCharsets.UTF_8), e);
        }
        if (code != 0) {
            throw new BrokerStartException("formatting the broker's storage failed (exit code " + code + "):\n"
                    + captured.toString(StandardCharsets.UTF_8), null);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin(Duration.ofSeconds(5))) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerStartException("interrupted while waiting for the Kafka broker", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerStartException("interrupted while waiting for the Kafka broker", e);
            }
        }
        throw new BrokerStartException("the Kafka broker on " + bootstrapServers() + " did not become ready within "
                + READY_TIMEOUT.toSeconds() + " s", last);
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's temporary directory (removed on close). */
    public Path directory() {
        return dir;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin(Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(p);
    }

    /** Stops the broker and removes its data. Safe to call twice (e.g. from a shutdown hook too). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownQuietly(server);
        deleteRecursively(dir);
    }

    private static void shutdownQuietly(Server server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            // shutting down: nothing left to do with a failure
        }
    }

    static void checkFreeSpace(Path dir) {
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                throw new BrokerStartException("out of disk space: only " + free / (1024 * 1024) + " MB free in " + dir
                        + " (the broker needs at least " + MIN_FREE_BYTES / (1024 * 1024) + " MB); free some space "
                        + "or point java.io.tmpdir elsewhere", null);
            }
        } catch (IOException e) {
            // the check is a courtesy; the broker reports real write failures itself
        }
    }

    /** A port on 127.0.0.1 that is free now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BrokerStartException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Whether a port on 127.0.0.1 can be bound now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            // children before their directories
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: a file still held open is removed with the temporary directory later
        }
    }

    /** A broker that could not start, with a message for the user. */
    public static final class BrokerStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException(Throwable cause) {
            super("port taken", cause);
        }
    }
}
