package io.domainmix.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.domainmix.job.JobOptions;
import io.domainmix.job.ScoringOptions;
import io.domainmix.testkit.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The compose file as Compose itself reads it ({@code docker compose config} of Compose v2, or
 * {@code docker-compose config} of v1; neither needs a Docker engine): it must be valid, and its parts must fit together: the jar the
 * submitter runs is the one the Dockerfile installs, every Flink process shares the
 * checkpoint volume the configuration points to, and nothing is published beyond loopback.
 */
class DockerComposeConfigTest {

    private static final Path DOCKER_DIR = Path.of(System.getProperty("e2e.docker.dir", "../docker"));
    private static final Path COMPOSE_FILE = DOCKER_DIR.resolve("docker-compose.yml");
    private static final String JOB_JAR_IN_IMAGE = "/opt/flink/usrlib/domainmix-flink-job.jar";

    private static final String INSTALL_HINT = "neither `docker compose` (Compose v2) nor `docker-compose` (v1) is installed,"
            + " so the compose file cannot be validated (install one, e.g. apt-get install docker-compose)";

    private static JsonNode config;

    /**
     * The resolved file, read once. Called from each test, not from {@code @BeforeAll}: a missing
     * tool is then reported as a skip of each test with its reason (a failure with
     * {@code CI=true}).
     */
    private static JsonNode config() throws IOException, InterruptedException {
        if (config != null) {
            return config;
        }
        Optional<List<String>> compose = composeCommand();
        ExternalTool.require(compose.isPresent(), INSTALL_HINT);
        List<String> command = new ArrayList<>(compose.get());
        command.addAll(List.of("-f", COMPOSE_FILE.toAbsolutePath().toString(), "config"));
        Path output = Files.createTempFile("compose-config", ".yml");
        Path errors = Files.createTempFile("compose-config", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(),
                String.join(" ", command) + " rejected " + COMPOSE_FILE + ":\n" + Files.readString(errors, StandardCharsets.UTF_8));
        config = new ObjectMapper(new YAMLFactory()).readTree(output.toFile());
        Files.delete(output);
        Files.delete(errors);
        return config;
    }

    /** {@code docker compose} where the Compose v2 plugin answers, else {@code docker-compose} (v1 or v2). */
    static Optional<List<String>> composeCommand() {
        if (ExternalTool.find("docker").isPresent() && succeeds(List.of("docker", "compose", "version"))) {
            return Optional.of(List.of("docker", "compose"));
        }
        if (ExternalTool.find("docker-compose").isPresent()) {
            return Optional.of(List.of("docker-compose"));
        }
        return Optional.empty();
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void hasTheDeploymentsServices() throws Exception {
        Set<String> services = new TreeSet<>();
        config().path("services").fieldNames().forEachRemaining(services::add);
        assertEquals(new TreeSet<>(Set.of("kafka", "jobmanager", "taskmanager-1", "taskmanager-2", "producer", "submitter",
                "request-producer", "score-submitter", "prometheus", "grafana")), services);
        assertEquals("apache/kafka:4.2.0", service("kafka").path("image").asText());
        assertEquals("jobmanager", commandLine(service("jobmanager")));
        assertEquals("taskmanager", commandLine(service("taskmanager-1")));
        assertEquals("taskmanager", commandLine(service("taskmanager-2")));
    }

    @Test
    void submitterRunsTheJarTheImageInstallsDetached() throws Exception {
        String script = commandLine(service("submitter"));
        assertTrue(script.contains("flink run -d -m jobmanager:8081 " + JOB_JAR_IN_IMAGE), script);
        assertEquals(service("jobmanager").path("image").asText(), service("submitter").path("image").asText());
        String dockerfile = Files.readString(DOCKER_DIR.resolve("Dockerfile"), StandardCharsets.UTF_8);
        assertTrue(dockerfile.contains(" " + JOB_JAR_IN_IMAGE + "\n"), "Dockerfile does not install " + JOB_JAR_IN_IMAGE);
        String options = service("submitter").path("environment").path("JOB_OPTIONS").asText();
        assertTrue(options.contains("--bootstrap-servers kafka:9092"), options);
    }

    /** The submitter's options are the job's own (a renamed option would fail at submission, long after config). */
    @Test
    void jobOptionsParseAndMatchTheProducer() throws Exception {
        String jobOptions = service("submitter").path("environment").path("JOB_OPTIONS").asText();
        JobOptions options = JobOptions.parse(jobOptions.trim().split("\\s+"));
        String producerOptions = service("producer").path("environment").path("PRODUCER_OPTIONS").asText();
        List<String> producer = List.of(producerOptions.trim().split("\\s+"));
        assertEquals(options.get(JobOptions.BOOTSTRAP_SERVERS), valueAfter(producer, "--bootstrap-servers"));
        assertEquals(options.get(JobOptions.TOPIC_PREFIX), valueAfter(producer, "--topic-prefix"));
        assertEquals(Integer.toString(options.get(JobOptions.DIM)), valueAfter(producer, "--dim"));
        assertTrue(options.topicPattern().matcher(options.get(JobOptions.TOPIC_PREFIX) + ".d1").matches());
    }

    /** The scoring submitter runs the scoring main class of the same jar, with options the job accepts. */
    @Test
    void scoringJobScoresTheTrainingRunsRequests() throws Exception {
        String script = commandLine(service("score-submitter"));
        assertTrue(script.contains("flink run -d -m jobmanager:8081 -c io.domainmix.job.score.ScoringJob " + JOB_JAR_IN_IMAGE),
                script);
        ScoringOptions scoring = ScoringOptions.parse(
                service("score-submitter").path("environment").path("SCORING_OPTIONS").asText().trim().split("\\s+"));
        JobOptions training = JobOptions.parse(
                service("submitter").path("environment").path("JOB_OPTIONS").asText().trim().split("\\s+"));
        assertEquals(training.get(JobOptions.RUN_ID), scoring.get(ScoringOptions.RUN_ID));
        assertEquals(training.get(JobOptions.SNAPSHOT_TOPIC), scoring.get(ScoringOptions.SNAPSHOT_TOPIC));
        List<String> producer = List.of(service("request-producer").path("environment").path("PRODUCER_OPTIONS").asText()
                .trim().split("\\s+"));
        String prefix = valueAfter(producer, "--topic-prefix");
        assertTrue(scoring.get(ScoringOptions.REQUESTS).stream().allMatch(t -> t.startsWith(prefix + ".")),
                scoring.get(ScoringOptions.REQUESTS) + " vs the request producer's prefix " + prefix);
    }

    /** Every Flink process runs the Prometheus reporter that Prometheus scrapes, and Grafana gets the repository's dashboard. */
    @Test
    void prometheusScrapesEveryFlinkProcessAndGrafanaShowsTheDashboard() throws Exception {
        String scrape = Files.readString(DOCKER_DIR.resolve("prometheus/prometheus.yml"), StandardCharsets.UTF_8);
        for (String name : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
            String properties = service(name).path("environment").path("FLINK_PROPERTIES").asText();
            assertTrue(properties.contains("metrics.reporter.prom.factory.class: "
                    + "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"), name + ": " + properties);
            assertTrue(properties.contains("metrics.reporter.prom.port: 9249"), name + ": " + properties);
            assertTrue(scrape.contains("'" + name + ":9249'"), "prometheus.yml does not scrape " + name);
        }
        List<String> grafanaVolumes = new ArrayList<>();
        service("grafana").path("volumes").forEach(v -> grafanaVolumes.add(volume(v)));
        assertTrue(grafanaVolumes.stream().anyMatch(v -> v.contains("grafana/dashboards:/var/lib/grafana/dashboards")),
                grafanaVolumes.toString());
        assertTrue(Files.isRegularFile(DOCKER_DIR.resolve("grafana/dashboards/domainmix.json")));
        String datasource = Files.readString(DOCKER_DIR.resolve("grafana/provisioning/datasources/prometheus.yml"),
                StandardCharsets.UTF_8);
        assertTrue(datasource.contains("uid: prometheus") && datasource.contains("http://prometheus:9090"), datasource);
        String dockerfile = Files.readString(DOCKER_DIR.resolve("Dockerfile"), StandardCharsets.UTF_8);
        String pom = Files.readString(DOCKER_DIR.resolve("../pom.xml"), StandardCharsets.UTF_8);
        String flinkVersion = pom.substring(pom.indexOf("<flink.version>") + 15, pom.indexOf("</flink.version>"));
        assertTrue(dockerfile.contains("ARG FLINK_VERSION=" + flinkVersion + "\n"),
                "the image's Prometheus reporter is not at Flink " + flinkVersion);
    }

    private static String valueAfter(List<String> args, String option) {
        int at = args.indexOf(option);
        assertTrue(at >= 0 && at + 1 < args.size(), option + " missing in " + args);
        return args.get(at + 1);
    }

    @Test
    void everyFlinkProcessSharesTheCheckpointVolume() throws Exception {
        for (String name : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
            JsonNode flink = service(name);
            String properties = flink.path("environment").path("FLINK_PROPERTIES").asText();
            assertTrue(properties.contains("jobmanager.rpc.address: jobmanager"), name + ": " + properties);
            assertTrue(properties.contains("execution.checkpointing.dir: file:///flink-data/"), name + ": " + properties);
            List<String> volumes = new ArrayList<>();
            flink.path("volumes").forEach(v -> volumes.add(volume(v)));
            assertTrue(volumes.stream().anyMatch(v -> v.startsWith("flink-data:/flink-data")), name + " mounts " + volumes);
        }
        assertTrue(config().path("volumes").has("flink-data"));
    }

    @Test
    void publishesOnlyOnLoopback() throws Exception {
        List<String> published = new ArrayList<>();
        config().path("services").forEach(service -> service.path("ports").forEach(port -> published.add(port(port))));
        assertEquals(List.of("127.0.0.1:29092:29092/tcp", "127.0.0.1:8081:8081/tcp", "127.0.0.1:9090:9090/tcp",
                        "127.0.0.1:3000:3000/tcp").stream().sorted().toList(),
                published.stream().sorted().toList());
    }

    /** What Compose v2 prints in long syntax reads as what v1 prints, so that both pass the checks above. */
    @Test
    void readsComposeV2OutputLikeV1() throws IOException {
        String v2 = String.join("\n",
                "    command:",
                "      - jobmanager",
                "    ports:",
                "      - mode: ingress",
                "        host_ip: 127.0.0.1",
                "        target: 8081",
                "        published: \"8081\"",
                "        protocol: tcp",
                "    volumes:",
                "      - type: volume",
                "        source: flink-data",
                "        target: /flink-data",
                "        volume: {}");
        String v1 = String.join("\n",
                "    command: jobmanager",
                "    ports:",
                "      - 127.0.0.1:8081:8081/tcp",
                "    volumes:",
                "      - flink-data:/flink-data:rw");
        for (String printed : List.of(v2, v1)) {
            JsonNode jobmanager = new ObjectMapper(new YAMLFactory())
                    .readTree("services:\n  jobmanager:\n" + printed + "\n").path("services").path("jobmanager");
            assertEquals("jobmanager", commandLine(jobmanager), printed);
            assertEquals("127.0.0.1:8081:8081/tcp", port(jobmanager.path("ports").get(0)), printed);
            assertTrue(volume(jobmanager.path("volumes").get(0)).startsWith("flink-data:/flink-data"), printed);
        }
    }

    /**
     * v1 prints a command as written (a string); v2 prints it as a list of arguments. Both read
     * here as one line of text.
     */
    static String commandLine(JsonNode service) {
        JsonNode command = service.path("command");
        if (!command.isArray()) {
            return command.asText();
        }
        List<String> words = new ArrayList<>();
        command.forEach(word -> words.add(word.asText()));
        return String.join(" ", words);
    }

    /** v1 prints a published port as {@code ip:published:target/protocol}; v2 as a mapping with those keys. */
    static String port(JsonNode port) {
        if (!port.isObject()) {
            return port.asText();
        }
        String hostIp = port.path("host_ip").asText("");
        return (hostIp.isEmpty() ? "" : hostIp + ":") + port.path("published").asText() + ":" + port.path("target").asText()
                + "/" + port.path("protocol").asText("tcp");
    }

    /** v1 prints a mount as {@code source:target[:mode]}; v2 as a mapping with {@code source} and {@code target}. */
    static String volume(JsonNode volume) {
        if (!volume.isObject()) {
            return volume.asText();
        }
        return volume.path("source").asText() + ":" + volume.path("target").asText()
                + (volume.path("read_only").asBoolean(false) ? ":ro" : "");
    }

    private static JsonNode service(String name) throws IOException, InterruptedException {
        JsonNode service = config().path("services").path(name);
        assertTrue(service.isObject(), "no service " + name);
        return service;
    }
}
