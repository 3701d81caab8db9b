package io.domainmix.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one process) running as a
 * separate JVM on 127.0.0.1. The ports and the data directory are fixed when the fixture is
 * created, so {@link #stop()} followed by {@link #start()} brings back the same broker with
 * the same topics and offsets, as after a machine restart.
 *
 * <p>With {@link SaslScram} users it accepts only SASL/SCRAM logins and authorizes every
 * request with KRaft's {@code StandardAuthorizer}: the users have no rights but those their ACLs
 * grant.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final String classpath;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final SaslScram security;
    private final String heap;
    private ChildProcess process;

    private KafkaBrokerProcess(Path dir, String classpath, int port, int controllerPort, SaslScram security, String heap) {
        this.heap = heap;
        this.dir = dir;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = dir.resolve("broker.log");
        this.security = security;
    }

    /**
     * Formats fresh storage under {@code dir} and starts a plaintext broker; returns once it
     * serves requests.
     *
     * @param classpath the broker's classpath: {@code kafka_2.13} and a log4j binding
     */
    public static KafkaBrokerProcess start(Path dir, String classpath) {
        return start(dir, classpath, null);
    }

    /** As {@link #start(Path, String)}, with SASL/SCRAM and ACLs when {@code security} is not null. */
    public static KafkaBrokerProcess start(Path dir, String classpath, SaslScram security) {
        return start(dir, classpath, security, "512m");
    }

    /** As {@link #start(Path, String, SaslScram)}, with the broker's maximum heap (e.g. {@code 1g}). */
    public static KafkaBrokerProcess start(Path dir, String classpath, SaslScram security, String heap) {
        List<Integer> ports = FreePorts.pick(2);
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, classpath, ports.get(0), ports.get(1), security, heap);
        try {
            broker.format();
            broker.start();
            return broker;
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
    }

    private void format() {
        try {
            Files.writeString(dir.resolve("server.properties"), serverProperties(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), LogConfig.log4j2("broker"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String clusterId = ChildProcess.runJava(
                        "kafka-storage-random-uuid", dir, classpath, "kafka.tools.StorageTool",
                        List.of("random-uuid"), Duration.ofSeconds(60))
                .lines()
                .filter(line -> line.matches("[A-Za-z0-9_-]{22}"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("StorageTool printed no cluster id"));
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", dir.resolve("server.properties").toString()));
        if (security != null) {
            args.addAll(security.formatArguments());
        }
        ChildProcess.runJava("kafka-storage-format", dir, classpath, "kafka.tools.StorageTool", args, Duration.ofSeconds(60));
    }

    private String serverProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", dir.resolve("data").toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Flink's exactly-once Kafka sink keeps transactions open across a checkpoint interval.
        props.put("transaction.max.timeout.ms", "900000");
        if (security != null) {
            props.putAll(security.serverProperties(port, controllerPort));
        }
        StringBuilder out = new StringBuilder();
        props.forEach((key, value) -> out.append(key).append('=').append(value).append('\n'));
        return out.toString();
    }

    /** Starts the broker on its ports and data; returns once it answers a metadata request. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already running");
        }
        process = ChildProcess.startJava(
                "kafka-broker",
                dir,
                List.of("-Xms256m", "-Xmx" + heap, "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties")),
                classpath,
                MAIN_CLASS,
                List.of(dir.resolve("server.properties").toString()),
                logFile);
        awaitReady();
    }

    private void awaitReady() {
        // One client for all probes: creating one per probe costs more than the probe on a busy machine.
        try (Admin admin = admin(Duration.ofSeconds(5))) {
            Await.until("Kafka broker on " + bootstrapServers(), READY_TIMEOUT, Duration.ofMillis(250), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("broker process exited");
                }
                try {
                    int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    return nodes > 0 ? Optional.of(nodes) : Optional.empty();
                } catch (ExecutionException | TimeoutException e) {
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + process.tail(60), e);
        }
    }

    /** Graceful shutdown (SIGTERM); the data directory stays for a later {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.terminate(Duration.ofSeconds(30));
        }
    }

    /** SIGKILL: the broker disappears without a controlled shutdown. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's process id (to read its CPU time and memory from outside), or -1 when stopped. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** The client properties that reach this broker (as the super user on a secured one). */
    public Properties clientProperties() {
        return security == null
                ? SaslScram.clientPropertiesPlain(bootstrapServers())
                : SaslScram.clientProperties(bootstrapServers(), security.superUser(), security.superPassword());
    }

    public KafkaTopics topics() {
        return new KafkaTopics(clientProperties());
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin(Duration timeout) {
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        return Admin.create(props);
    }

    /**
     * Creates the topics that do not exist yet and waits until every partition has a leader,
     * so that a producer's first batch does not meet a partition the broker is still setting up.
     */
    public void createTopics(int partitions, String... topics) {
        try (Admin admin = admin(Duration.ofSeconds(30))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(topics)
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, (short) 1))
                    .toList();
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            Await.until("leaders of " + List.of(topics), READY_TIMEOUT, () -> {
                try {
                    return admin.describeTopics(List.of(topics)).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                            .flatMap(description -> description.partitions().stream())
                            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                } catch (ExecutionException | TimeoutException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + List.of(topics), e);
        }
    }

    /**
     * The offsets a consumer group has committed, summed per topic (a Flink Kafka source commits
     * on each completed checkpoint, so this is what the job has consumed and checkpointed).
     */
    public Map<String, Long> committedOffsets(String groupId) {
        try (Admin admin = admin(Duration.ofSeconds(10))) {
            Map<String, Long> perTopic = new TreeMap<>();
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((partition, offset) -> {
                        if (offset != null) {
                            perTopic.merge(partition.topic(), offset.offset(), Long::sum);
                        }
                    });
            return perTopic;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the offsets of group " + groupId, e);
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.terminate(Duration.ofSeconds(15));
        }
    }
}
