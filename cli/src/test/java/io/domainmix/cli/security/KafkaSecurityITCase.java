package io.domainmix.cli.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.cli.DomainMixCommand;
import io.domainmix.testkit.KafkaBrokerProcess;
import io.domainmix.testkit.KafkaTopics;
import io.domainmix.testkit.SaslScram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The commands against a broker that takes only SASL/SCRAM-SHA-512 logins and authorizes every
 * request with KRaft's StandardAuthorizer. Each user has only the ACLs its command needs; the
 * job's user has exactly the ones docker/README.md lists as the job's minimum.
 *
 * <p>Every command runs as its own JVM, as {@code bin/domainmix} runs it, so that everything it
 * prints and logs is in its output file; the last check greps every output and the broker's
 * log for the passwords.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaSecurityITCase {
    private static final String PREFIX = "secure";
    private static final String RUN_ID = "secure-run";
    private static final String SNAPSHOTS = PREFIX + "-snapshots";
    private static final String METRICS = PREFIX + "-metrics";
    private static final String DEAD_LETTERS = PREFIX + "-dead-letters";
    private static final String TRUTH = PREFIX + "-truth";
    private static final long PER_DOMAIN = 1_500;
    private static final Duration FAIL_FAST = Duration.ofSeconds(30);

    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    private static final String WRONG_PASSWORD = secret("wrong");

    private static Path dir;
    private static KafkaBrokerProcess broker;
    private static final List<Path> outputs = new ArrayList<>();

    private static String secret(String user) {
        return user + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        for (String user : List.of("admin", "producer", "trainer", "reader", "demo", "trainer-no-dead-letters",
                "trainer-no-snapshots")) {
            PASSWORDS.put(user, secret(user));
        }
        dir = Files.createDirectories(Path.of("target", "security-" + UUID.randomUUID()).toAbsolutePath());
        Map<String, String> users = new LinkedHashMap<>(PASSWORDS);
        users.remove("admin");
        broker = KafkaBrokerProcess.start(Files.createDirectories(dir.resolve("kafka")), System.getProperty("java.class.path"),
                new SaslScram("admin", PASSWORDS.get("admin"), users));
        KafkaTopics admin = broker.topics();
        admin.create(1, SNAPSHOTS, METRICS, DEAD_LETTERS);
        try (Admin a = broker.admin(Duration.ofSeconds(30))) {
            List<AclBinding> acls = new ArrayList<>();
            // the producers: their topics, created when missing
            acls.addAll(allow("producer", ResourceType.TOPIC, PREFIX, PatternType.PREFIXED,
                    AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE));
            // the job: the minimum docker/README.md documents
            acls.addAll(jobAcls("trainer", true, true));
            acls.addAll(jobAcls("trainer-no-dead-letters", false, true));
            acls.addAll(jobAcls("trainer-no-snapshots", true, false));
            // the report: reads the run's outputs and the truth
            for (String topic : List.of(SNAPSHOTS, METRICS, TRUTH)) {
                acls.addAll(allow("reader", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE));
            }
            // the demo makes and uses its own demo-* topics and runs its jobs' consumer groups
            acls.addAll(allow("demo", ResourceType.TOPIC, "demo-", PatternType.PREFIXED, AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DESCRIBE, AclOperation.CREATE));
            acls.addAll(allow("demo", ResourceType.GROUP, "domainmix-demo-", PatternType.PREFIXED, AclOperation.READ));
            a.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** What the job's user needs: docker/README.md's list, less what a test leaves out on purpose. */
    private static List<AclBinding> jobAcls(String user, boolean deadLetters, boolean snapshots) {
        List<AclBinding> acls = new ArrayList<>();
        acls.addAll(allow(user, ResourceType.TOPIC, PREFIX + ".", PatternType.PREFIXED, AclOperation.READ, AclOperation.DESCRIBE));
        acls.addAll(allow(user, ResourceType.GROUP, "domainmix-" + RUN_ID, PatternType.LITERAL, AclOperation.READ));
        if (snapshots) {
            acls.addAll(allow(user, ResourceType.TOPIC, SNAPSHOTS, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE));
        }
        acls.addAll(allow(user, ResourceType.TOPIC, METRICS, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE));
        acls.addAll(allow(user, ResourceType.TOPIC, DEAD_LETTERS, PatternType.LITERAL,
                deadLetters ? new AclOperation[] {AclOperation.WRITE, AclOperation.DESCRIBE} : new AclOperation[] {AclOperation.DESCRIBE}));
        return acls;
    }

    private static List<AclBinding> allow(String user, ResourceType type, String name, PatternType pattern, AclOperation... ops) {
        List<AclBinding> out = new ArrayList<>();
        for (AclOperation op : ops) {
            out.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
        }
        return out;
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** {@code -X key=value} (or {@code --kafka-property key=value}) for each security setting. */
    private static List<String> login(String option, String user, String password) {
        List<String> args = new ArrayList<>();
        SaslScram.clientSettings(user, password).forEach((k, v) -> {
            args.add(option);
            args.add(k + "=" + v);
        });
        return args;
    }

    private static List<String> args(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> list) {
                list.forEach(x -> out.add(x.toString()));
            } else {
                out.add(p.toString());
            }
        }
        return out;
    }

    /** One command's outcome: exit code, everything it printed and logged, and how long it took. */
    record Run(int exit, String output, Duration took) {}

    private static Run domainmix(String name, List<String> args, Duration timeout) throws Exception {
        Path log = dir.resolve(name + ".log");
        outputs.add(log);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), DomainMixCommand.class.getName()));
        command.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - t0));
    }

    private static void assertSucceeded(Run run) {
        assertEquals(0, run.exit(), run.output());
    }

    /** A wrong password: a non-zero exit in time, one line that says so, no stack trace. */
    private static void assertAuthenticationFailure(String command, Run run) {
        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.took().compareTo(FAIL_FAST) <= 0, command + " took " + run.took() + ":\n" + run.output());
        List<String> lines = run.output().lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).contains("authentication failed"))
                .toList();
        assertEquals(1, lines.size(), "one line names the failure:\n" + run.output());
        assertTrue(lines.get(0).contains(command), lines.get(0));
        assertFalse(run.output().contains("\tat "), "a stack trace:\n" + run.output());
        assertFalse(run.output().contains("Exception in thread"), run.output());
    }

    private static List<String> produceSynthetic(String user, String password) {
        return args("produce", "synthetic", "-b", broker.bootstrapServers(), login("-X", user, password),
                "--experiment", "linear-noise", "--dim", "5", "--rate", "0", "--count", PER_DOMAIN,
                "--topic-prefix", PREFIX, "--truth-topic", TRUTH, "--no-truth-file", "--progress", "plain");
    }

    private static List<String> produceFile(String user, String password) throws IOException {
        Path csv = dir.resolve("rows.csv");
        StringBuilder rows = new StringBuilder("region,x1,x2,y\n");
        for (int i = 0; i < 40; i++) {
            rows.append(i % 2 == 0 ? "north" : "south").append(',').append(i * 0.1).append(',').append(1 - i * 0.05)
                    .append(',').append(i * 0.3).append('\n');
        }
        Files.writeString(csv, rows.toString());
        return args("produce", "file", csv, "-b", broker.bootstrapServers(), login("-X", user, password),
                "--domain-column", "region", "--label-column", "y", "--topic-prefix", PREFIX + "-file", "--progress", "plain");
    }

    private static List<String> train(String user, String password) {
        return args("train", "--web-ui-port", "0", "--bootstrap-servers", broker.bootstrapServers(),
                login("--kafka-property", user, password), "--topic-prefix", PREFIX, "--run-id", RUN_ID, "--dim", "5",
                "--bounded", "--snapshot-topic", SNAPSHOTS, "--metrics-topic", METRICS, "--dead-letter-topic", DEAD_LETTERS);
    }

    private static List<String> report(String user, String password, Path out) {
        return args("report", "--bootstrap-servers", broker.bootstrapServers(), login("-X", user, password),
                "--truth", TRUTH, "--snapshots", SNAPSHOTS, "--metrics", METRICS, "--out", out);
    }

    private static List<String> demo(String user, String password, Path out) {
        return args("demo", "--bootstrap-servers", broker.bootstrapServers(), login("-X", user, password),
                "--experiment", "linear-noise", "--examples", "2000", "--dim", "4", "--policies", "erma+va",
                "--concurrent-jobs", "1", "--out", out, "--plain");
    }

    @Test
    @Order(1)
    void theRightCredentialsWorkForEveryCommand() throws Exception {
        assertSucceeded(domainmix("produce-synthetic", produceSynthetic("producer", PASSWORDS.get("producer")), Duration.ofMinutes(3)));
        assertEquals(PER_DOMAIN, broker.topics().endOffset(PREFIX + ".d1"));
        assertEquals(PER_DOMAIN, broker.topics().endOffset(PREFIX + ".d2"));
        assertSucceeded(domainmix("produce-file", produceFile("producer", PASSWORDS.get("producer")), Duration.ofMinutes(3)));
        assertEquals(40, broker.topics().endOffset(PREFIX + "-file.north") + broker.topics().endOffset(PREFIX + "-file.south"));

        Run trained = domainmix("train", train("trainer", PASSWORDS.get("trainer")), Duration.ofMinutes(5));
        assertSucceeded(trained);
        JsonNode last = null;
        ObjectMapper json = new ObjectMapper();
        for (var r : broker.topics().readAll(METRICS)) {
            last = json.readTree(r.value());
        }
        assertTrue(last != null, "no metrics were published");
        assertEquals(PER_DOMAIN, last.path("domains").path("d1").path("n").asLong(), last.toString());
        assertEquals(PER_DOMAIN, last.path("domains").path("d2").path("n").asLong(), last.toString());

        Path reportDir = dir.resolve("report");
        assertSucceeded(domainmix("report", report("reader", PASSWORDS.get("reader"), reportDir), Duration.ofMinutes(3)));
        assertTrue(Files.size(reportDir.resolve("report.html")) > 1000);

        Path demoDir = dir.resolve("demo");
        assertSucceeded(domainmix("demo", demo("demo", PASSWORDS.get("demo"), demoDir), Duration.ofMinutes(6)));
        assertTrue(Files.size(demoDir.resolve("report.html")) > 1000);
    }

    @Test
    @Order(2)
    void aWrongPasswordFailsFastWithOneLine() throws Exception {
        assertAuthenticationFailure("synthetic", domainmix("wrong-produce-synthetic", produceSynthetic("producer", WRONG_PASSWORD), FAIL_FAST.multipliedBy(3)));
        assertAuthenticationFailure("file", domainmix("wrong-produce-file", produceFile("producer", WRONG_PASSWORD), FAIL_FAST.multipliedBy(3)));
        assertAuthenticationFailure("train", domainmix("wrong-train", train("trainer", WRONG_PASSWORD), FAIL_FAST.multipliedBy(3)));
        assertAuthenticationFailure("report", domainmix("wrong-report", report("reader", WRONG_PASSWORD, dir.resolve("wrong-report")),
                FAIL_FAST.multipliedBy(3)));
        assertAuthenticationFailure("demo", domainmix("wrong-demo", demo("demo", WRONG_PASSWORD, dir.resolve("wrong-demo")),
                FAIL_FAST.multipliedBy(3)));
    }

    @Test
    @Order(3)
    void aMissingAclOnAnOutputTopicIsNamedBeforeTheJobStarts() throws Exception {
        Run noDeadLetters = domainmix("train-no-dead-letters", train("trainer-no-dead-letters",
                PASSWORDS.get("trainer-no-dead-letters")), FAIL_FAST.multipliedBy(3));
        assertEquals(2, noDeadLetters.exit(), noDeadLetters.output());
        assertTrue(noDeadLetters.output().contains("may not WRITE topic '" + DEAD_LETTERS + "'"), noDeadLetters.output());
        assertFalse(noDeadLetters.output().contains("\tat "), noDeadLetters.output());

        Run noSnapshots = domainmix("train-no-snapshots", train("trainer-no-snapshots",
                PASSWORDS.get("trainer-no-snapshots")), FAIL_FAST.multipliedBy(3));
        assertEquals(2, noSnapshots.exit(), noSnapshots.output());
        assertTrue(noSnapshots.output().contains("may not use topic '" + SNAPSHOTS + "'"), noSnapshots.output());
        assertFalse(noSnapshots.output().contains("\tat "), noSnapshots.output());
    }

    @Test
    @Order(4)
    void noPasswordAppearsInAnyOutputOrLog() throws IOException {
        List<Path> files = new ArrayList<>(outputs);
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")).forEach(f -> {
                if (!files.contains(f)) {
                    files.add(f);
                }
            });
        }
        assertTrue(files.size() >= 10, "outputs and logs to search: " + files);
        List<String> secrets = new ArrayList<>(PASSWORDS.values());
        secrets.add(WRONG_PASSWORD);
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a password in " + f);
            }
        }
    }
}
