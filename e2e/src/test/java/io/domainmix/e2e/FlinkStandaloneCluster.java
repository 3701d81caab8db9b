package io.domainmix.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.testkit.Await;
import io.domainmix.testkit.ChildProcess;
import io.domainmix.testkit.FreePorts;
import io.domainmix.testkit.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A Flink session cluster as a user runs it: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}),
 * each its own JVM, started from the jars a distribution's {@code lib/} holds, configured
 * through {@code conf/config.yaml}. Everything binds to 127.0.0.1; the REST and JobManager
 * RPC ports are picked free, all other ports are left to the operating system.
 *
 * <p>TaskManager {@code i} has resource id {@code tm-i}, so the TaskManagers a job runs on
 * ({@link #taskManagersOf}) map to the processes {@link #killTaskManager} kills.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {

    private static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String CLIENT_MAIN = "org.apache.flink.client.cli.CliFrontend";
    private static final String SUBMITTED = "Job has been submitted with JobID";
    private static final String MEMORY_PARAMS_MAIN = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /**
     * What a Flink distribution's default configuration passes to every Flink JVM on Java 17
     * ({@code env.java.opts.all}): Flink reflects into JDK internals (e.g. when it builds the
     * job graph in the JobManager's web submission), and the module system forbids that unless
     * the packages are opened.
     */
    static final String JAVA_17_OPTS = String.join(" ",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path dir;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final FlinkRestApi rest;
    private final Map<Path, String> uploadedJars = new ConcurrentHashMap<>();
    private final List<ChildProcess> taskManagers = new ArrayList<>();
    private final List<ChildProcess> clients = new ArrayList<>();
    private Map<String, String> config = Map.of();
    private ProcessParams taskManagerParams;
    private ChildProcess jobManager;

    private int slotsPerTaskManager;

    private FlinkStandaloneCluster(Path dir, String classpath, int restPort) {
        this.dir = dir;
        this.confDir = dir.resolve("conf");
        this.classpath = classpath;
        this.restPort = restPort;
        this.rest = new FlinkRestApi("http://127.0.0.1:" + restPort);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The configuration a test can change before {@link #start()}. */
    public static final class Builder {
        private final Path dir;
        private int taskManagers = 2;
        private int slotsPerTaskManager = 2;
        private final Map<String, String> config = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder taskManagers(int count) {
            this.taskManagers = count;
            return this;
        }

        public Builder slotsPerTaskManager(int slots) {
            this.slotsPerTaskManager = slots;
            return this;
        }

        /** Any {@code config.yaml} entry; overrides the defaults. */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Writes the configuration, starts the processes, and returns once all TaskManagers have registered. */
        public FlinkStandaloneCluster start() {
            List<Integer> ports = FreePorts.pick(2);
            FlinkStandaloneCluster cluster = new FlinkStandaloneCluster(dir, E2EEnvironment.flinkClasspath(), ports.get(0));
            try {
                cluster.slotsPerTaskManager = slotsPerTaskManager;
                cluster.writeConfig(defaultConfig(ports.get(0), ports.get(1)));
                cluster.startProcesses(taskManagers);
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }

        private Map<String, String> defaultConfig(int restPort, int rpcPort) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("jobmanager.rpc.address", "127.0.0.1");
            c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
            c.put("jobmanager.bind-host", "127.0.0.1");
            c.put("taskmanager.host", "127.0.0.1");
            c.put("taskmanager.bind-host", "127.0.0.1");
            c.put("rest.address", "127.0.0.1");
            c.put("rest.bind-address", "127.0.0.1");
            c.put("rest.port", Integer.toString(restPort));
            c.put("env.java.opts.all", JAVA_17_OPTS);
            c.put("jobmanager.memory.process.size", "1024m");
            c.put("taskmanager.memory.process.size", "1280m");
            // The jobs keep their state on the heap (hashmap backend); managed memory would be idle.
            c.put("taskmanager.memory.managed.size", "64m");
            c.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
            // Spread a job's slots over all TaskManagers, so losing one always hits the job.
            c.put("taskmanager.load-balance.mode", "SLOTS");
            c.put("state.backend.type", "hashmap");
            c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
            c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
            c.put("restart-strategy.type", "fixed-delay");
            c.put("restart-strategy.fixed-delay.attempts", "1000");
            c.put("restart-strategy.fixed-delay.delay", "1 s");
            // A killed TaskManager is noticed in seconds rather than the default 50 s; the
            // timeout stays well above the GC pauses of a loaded two-core machine.
            c.put("heartbeat.interval", "2000");
            c.put("heartbeat.timeout", "20000");
            // Tests poll metrics through REST; the default refresh (10 s) would make every wait that long.
            c.put("metrics.fetcher.update-interval", "1000");
            c.put("io.tmp.dirs", dir.resolve("tmp").toString());
            c.put("web.tmpdir", dir.resolve("web").toString());
            c.put("web.upload.dir", dir.resolve("web-upload").toString());
            c.put("blob.storage.directory", dir.resolve("blobs").toString());
            c.putAll(config);
            return c;
        }
    }

    private void writeConfig(Map<String, String> config) {
        this.config = Map.copyOf(config);
        try {
            Files.createDirectories(confDir);
            for (String sub : List.of("tmp", "web", "web-upload", "blobs", "checkpoints", "savepoints", "plugins")) {
                Files.createDirectories(dir.resolve(sub));
            }
            StringBuilder yaml = new StringBuilder("# written by the end-to-end tests\n");
            config.forEach((key, value) -> yaml.append(key).append(": ").append(yamlScalar(value)).append('\n'));
            Files.writeString(confDir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
            Files.writeString(confDir.resolve("log4j2.properties"), LogConfig.log4j2("flink"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String yamlScalar(String value) {
        // Flink converts quoted values to the option's type; quoting keeps paths and patterns literal.
        return "'" + value.replace("'", "''") + "'";
    }

    private void startProcesses(int taskManagerCount) {
        ProcessParams jobManagerParams = memoryParams("GET_JM_RESOURCE_PARAMS");
        taskManagerParams = memoryParams("GET_TM_RESOURCE_PARAMS");
        jobManager = ChildProcess.startJava(
                "flink-jobmanager",
                dir,
                jvmArgs(jobManagerParams, "jobmanager", dir.resolve("jobmanager.log")),
                classpath,
                JOB_MANAGER_MAIN,
                programArgs(jobManagerParams, List.of()),
                dir.resolve("jobmanager.log"));
        for (int i = 0; i < taskManagerCount; i++) {
            startTaskManager();
        }
        awaitRegisteredTaskManagers(taskManagerCount, START_TIMEOUT);
    }

    /** Starts one more TaskManager (as after replacing a lost machine); returns its index. */
    public synchronized int startTaskManager() {
        int index = taskManagers.size();
        Path log = dir.resolve("taskmanager-" + index + ".log");
        Path tmp = dir.resolve("tmp").resolve("tm-" + index);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        taskManagers.add(ChildProcess.startJava(
                "flink-taskmanager-" + index,
                dir,
                jvmArgs(taskManagerParams, "taskmanager", log),
                classpath,
                TASK_MANAGER_MAIN,
                programArgs(taskManagerParams, List.of(
                        "-D", "taskmanager.resource-id=" + taskManagerId(index),
                        "-D", "io.tmp.dirs=" + tmp)),
                log));
        return index;
    }

    public static String taskManagerId(int index) {
        return "tm-" + index;
    }

    /** SIGKILL to TaskManager {@code index}: no shutdown, no goodbye to the JobManager. */
    public synchronized void killTaskManager(int index) {
        taskManagers.get(index).kill();
    }

    public synchronized boolean isTaskManagerAlive(int index) {
        return taskManagers.get(index).isAlive();
    }

    /** As Flink's start scripts assemble them: memory flags, then the configured JVM options. */
    private List<String> jvmArgs(ProcessParams params, String role, Path log) {
        List<String> args = new ArrayList<>(params.jvmArgs());
        for (String key : List.of("env.java.default-opts.all", "env.java.opts.all",
                "env.java.default-opts." + role, "env.java.opts." + role)) {
            String opts = config.getOrDefault(key, "").trim();
            if (!opts.isEmpty()) {
                args.addAll(Arrays.asList(opts.split("\\s+")));
            }
        }
        args.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j2.properties"));
        args.add("-Dlog.file=" + log);
        return args;
    }

    private List<String> programArgs(ProcessParams params, List<String> more) {
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(params.dynamicConfig());
        args.addAll(more);
        return args;
    }

    /** The JVM memory flags and derived settings, computed by the same class Flink's start scripts call. */
    private ProcessParams memoryParams(String command) {
        List<String> results = ChildProcess.runJava(
                        "flink-" + command.toLowerCase(), dir, classpath, MEMORY_PARAMS_MAIN,
                        List.of(command, "--configDir", confDir.toString()), Duration.ofSeconds(60))
                .lines()
                .filter(line -> line.startsWith(RESULT_PREFIX))
                .map(line -> line.substring(RESULT_PREFIX.length()).trim())
                .toList();
        if (results.size() < 2) {
            throw new IllegalStateException(command + " printed " + results);
        }
        return new ProcessParams(
                Arrays.asList(results.get(results.size() - 2).split("\\s+")),
                Arrays.asList(results.get(results.size() - 1).split("\\s+")));
    }

    private record ProcessParams(List<String> jvmArgs, List<String> dynamicConfig) {}

    // ---- observing the cluster

    public FlinkRestApi rest() {
        return rest;
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public JsonNode overview() {
        return rest.get("overview");
    }

    /**
     * Waits until the JobManager counts exactly {@code count} TaskManagers and all their slots
     * (a TaskManager registers first and reports its slots after; a lost one drops out after
     * the heartbeat timeout).
     */
    public void awaitRegisteredTaskManagers(int count, Duration timeout) {
        try {
            Await.until(count + " registered TaskManagers", timeout, Duration.ofMillis(500), () -> {
                ensureJobManagerAlive();
                JsonNode overview = overview();
                boolean all = overview.path("taskmanagers").asInt(-1) == count
                        && overview.path("slots-total").asInt(-1) == count * slotsPerTaskManager;
                return all ? Optional.of(true) : Optional.empty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + logTails(40), e);
        }
    }

    private void ensureJobManagerAlive() {
        if (!jobManager.isAlive()) {
            throw new AssertionError("JobManager process exited");
        }
    }

    // ---- jobs

    /** Uploads (once) and runs a jar; returns the job id. */
    public String submitJar(Path jar, String... args) {
        return submit(JobSubmission.of(jar, args));
    }

    public String submit(JobSubmission submission) {
        String jarId = uploadedJars.computeIfAbsent(submission.jar().toAbsolutePath(), rest::uploadJar);
        ObjectNode body = FlinkRestApi.object();
        ArrayNode args = body.putArray("programArgsList");
        submission.args().forEach(args::add);
        submission.savepointPath().ifPresent(path -> body.put("savepointPath", path));
        submission.parallelism().ifPresent(p -> body.put("parallelism", p));
        submission.entryClass().ifPresent(c -> body.put("entryClass", c));
        body.put("allowNonRestoredState", false);
        String jobId = rest.post("jars/" + jarId + "/run", body).path("jobid").asText();
        if (jobId.isEmpty()) {
            throw new IllegalStateException("no job id returned for " + submission);
        }
        return jobId;
    }

    /**
     * Submits with Flink's command line client, {@code flink run} without {@code -d}: the client
     * process stays attached until the job ends (as a user's terminal would), and is closed with
     * the cluster. Returns the job id the client reports.
     */
    public synchronized String submitWithClient(JobSubmission submission) {
        List<String> args = new ArrayList<>(List.of("run"));
        submission.savepointPath().ifPresent(path -> args.addAll(List.of("--fromSavepoint", path)));
        submission.parallelism().ifPresent(p -> args.addAll(List.of("--parallelism", Integer.toString(p))));
        submission.entryClass().ifPresent(c -> args.addAll(List.of("--class", c)));
        args.add(submission.jar().toAbsolutePath().toString());
        args.addAll(submission.args());
        int index = clients.size();
        Path log = dir.resolve("client-" + index + ".log");
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Dlog4j.configurationFile=" + confDir.resolve("log4j2.properties")));
        jvm.addAll(Arrays.asList(JAVA_17_OPTS.split(" ")));
        // The client finds conf/config.yaml (REST address and port) in its working directory.
        ChildProcess client = ChildProcess.startJava("flink-client-" + index, dir, jvm, classpath, CLIENT_MAIN, args, log);
        clients.add(client);
        try {
            return Await.until("job id from " + client, START_TIMEOUT, Duration.ofMillis(200), () -> {
                for (String line : ChildProcess.lastLines(log, 400)) {
                    int at = line.indexOf(SUBMITTED);
                    if (at >= 0) {
                        return Optional.of(line.substring(at + SUBMITTED.length()).trim().split("\\s+")[0]);
                    }
                }
                if (!client.isAlive()) {
                    throw new AssertionError("flink run exited without submitting");
                }
                return Optional.empty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + client.tail(80), e);
        }
    }

    public JsonNode job(String jobId) {
        return rest.get("jobs/" + jobId);
    }

    /** CREATED, RUNNING, RESTARTING, FAILING, FINISHED, CANCELED, FAILED, ... */
    public String jobStatus(String jobId) {
        return job(jobId).path("state").asText();
    }

    public void awaitJobStatus(String jobId, String status, Duration timeout) {
        Await.until("job " + jobId + " in state " + status, timeout, Duration.ofMillis(300), () -> {
            String state = jobStatus(jobId);
            if (!state.equals(status) && Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                throw new AssertionError("job ended " + state + ": " + rootException(jobId));
            }
            return state.equals(status) ? Optional.of(state) : Optional.empty();
        });
    }

    /** Waits until every task of the job is RUNNING (a RUNNING job may still be deploying tasks). */
    public void awaitAllTasksRunning(String jobId, Duration timeout) {
        Await.until("all tasks of job " + jobId + " running", timeout, Duration.ofMillis(300), () -> {
            JsonNode job = job(jobId);
            boolean running = job.path("state").asText().equals("RUNNING");
            for (JsonNode vertex : job.path("vertices")) {
                running &= vertex.path("status").asText().equals("RUNNING");
            }
            return running ? Optional.of(true) : Optional.empty();
        });
    }

    public String rootException(String jobId) {
        JsonNode exceptions = rest.get("jobs/" + jobId + "/exceptions");
        return exceptions.path("exceptionHistory").path("entries").path(0).path("stacktrace").asText(exceptions.toString());
    }

    public void cancel(String jobId) {
        rest.patch("jobs/" + jobId + "?mode=cancel");
    }

    /** Completed checkpoints of the job since it was submitted (restores included). */
    public long completedCheckpoints(String jobId) {
        return rest.get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    public long restoredCheckpoints(String jobId) {
        return rest.get("jobs/" + jobId + "/checkpoints").path("counts").path("restored").asLong();
    }

    public void awaitCompletedCheckpoints(String jobId, long atLeast, Duration timeout) {
        Await.until(atLeast + " completed checkpoints of job " + jobId, timeout, Duration.ofMillis(300),
                () -> completedCheckpoints(jobId) >= atLeast ? Optional.of(true) : Optional.empty());
    }

    /**
     * Stops the job with a savepoint ({@code POST /jobs/<id>/stop}) and returns its location.
     * Without {@code drain} the job can continue from it; with {@code drain} the sources first
     * advance to the end of event time, so the job publishes what it publishes at the end of
     * its input (for this job: a final snapshot and metrics record).
     */
    public String stopWithSavepoint(String jobId, boolean drain, Duration timeout) {
        ObjectNode body = FlinkRestApi.object();
        body.put("targetDirectory", dir.resolve("savepoints").toUri().toString());
        body.put("drain", drain);
        String trigger = rest.post("jobs/" + jobId + "/stop", body).path("request-id").asText();
        String location = Await.until("savepoint of job " + jobId, timeout, Duration.ofMillis(300), () -> {
            JsonNode answer = rest.get("jobs/" + jobId + "/savepoints/" + trigger);
            if (!answer.path("status").path("id").asText().equals("COMPLETED")) {
                return Optional.empty();
            }
            JsonNode operation = answer.path("operation");
            if (operation.has("failure-cause")) {
                throw new AssertionError("savepoint failed: " + operation.path("failure-cause"));
            }
            return Optional.of(operation.path("location").asText());
        });
        awaitJobStatus(jobId, "FINISHED", timeout);
        return location;
    }

    /** The savepoint or checkpoint the job was last restored from, or empty. */
    public Optional<String> restoredFrom(String jobId) {
        JsonNode restored = rest.get("jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.isMissingNode() || restored.isNull()
                ? Optional.empty()
                : Optional.of(restored.path("external_path").asText());
    }

    /** The job's vertices by name: id and parallelism, for metric queries and rescaling checks. */
    public Map<String, JsonNode> vertices(String jobId) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            byName.put(vertex.path("name").asText(), vertex);
        }
        return byName;
    }

    /** The id of the one vertex whose name contains {@code fragment}. */
    public String vertexId(String jobId, String fragment) {
        List<JsonNode> matches = vertices(jobId).values().stream()
                .filter(v -> v.path("name").asText().contains(fragment))
                .toList();
        if (matches.size() != 1) {
            throw new IllegalArgumentException("vertices matching '" + fragment + "': " + vertices(jobId).keySet());
        }
        return matches.get(0).path("id").asText();
    }

    /** Metrics of a vertex summed over its subtasks (e.g. {@code numRecordsIn}, or a job's own counters). */
    public Map<String, Double> vertexMetricSums(String jobId, String vertexId, String... metrics) {
        JsonNode answer = rest.get("jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?agg=sum&get="
                + String.join(",", metrics));
        Map<String, Double> sums = new LinkedHashMap<>();
        for (JsonNode metric : answer) {
            sums.put(metric.path("id").asText(), metric.path("sum").asDouble());
        }
        return sums;
    }

    /** The names of the metrics a vertex exposes (all subtasks), for finding a job's own metrics. */
    public List<String> vertexMetricNames(String jobId, String vertexId) {
        List<String> names = new ArrayList<>();
        rest.get("jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics").forEach(m -> names.add(m.path("id").asText()));
        return names;
    }

    /** The job's user accumulators, name to value as Flink renders it. */
    public Map<String, String> accumulators(String jobId) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode acc : rest.get("jobs/" + jobId + "/accumulators").path("user-task-accumulators")) {
            values.put(acc.path("name").asText(), acc.path("value").asText());
        }
        return values;
    }

    /** Resource ids ({@code tm-i}) of the TaskManagers running tasks of the job. */
    public Set<String> taskManagersOf(String jobId) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            ids.addAll(taskManagersOf(jobId, vertex.path("id").asText()));
        }
        return ids;
    }

    /** Resource ids of the TaskManagers running the vertex's subtasks. */
    public Set<String> taskManagersOf(String jobId, String vertexId) {
        Set<String> ids = new LinkedHashSet<>();
        JsonNode answer = rest.get("jobs/" + jobId + "/vertices/" + vertexId + "/taskmanagers");
        for (JsonNode tm : answer.path("taskmanagers")) {
            String id = tm.path("taskmanager-id").asText();
            if (!id.isEmpty() && !id.equals("(unassigned)")) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Resource ids of the TaskManagers registered at the JobManager now. */
    public Set<String> registeredTaskManagers() {
        Set<String> ids = new LinkedHashSet<>();
        rest.get("taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    public void awaitRegistered(String taskManagerId, Duration timeout) {
        Await.until("TaskManager " + taskManagerId + " registered", timeout,
                () -> registeredTaskManagers().contains(taskManagerId));
    }

    /** Cancels every job that has not ended, so that one test's job cannot take another's slots. */
    public void cancelRunningJobs() {
        for (JsonNode job : rest.get("jobs/overview").path("jobs")) {
            String state = job.path("state").asText();
            if (!Set.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                try {
                    cancel(job.path("jid").asText());
                } catch (RuntimeException e) {
                    // ended meanwhile
                }
            }
        }
    }

    // ---- logs and shutdown

    public List<Path> logFiles() {
        List<Path> logs = new ArrayList<>();
        if (jobManager != null) {
            logs.add(jobManager.logFile());
        }
        taskManagers.forEach(tm -> logs.add(tm.logFile()));
        clients.forEach(client -> logs.add(client.logFile()));
        return logs;
    }

    public synchronized String logTails(int lines) {
        List<ChildProcess> all = new ArrayList<>();
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.addAll(taskManagers);
        all.addAll(clients);
        return all.stream().map(p -> p.tail(lines)).collect(Collectors.joining("\n"));
    }

    /** Shuts every process down at once (SIGTERM), and SIGKILLs what is still there after a grace period. */
    @Override
    public synchronized void close() {
        List<ChildProcess> all = new ArrayList<>(clients);
        all.addAll(taskManagers);
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.forEach(ChildProcess::requestTermination);
        for (ChildProcess process : all) {
            if (!process.awaitExit(Duration.ofSeconds(10))) {
                process.kill();
            }
        }
    }
}
