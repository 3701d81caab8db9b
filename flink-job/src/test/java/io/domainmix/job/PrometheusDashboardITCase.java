package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.job.score.ScoringJob;
import io.domainmix.testkit.Await;
import io.domainmix.testkit.ExternalTool;
import io.domainmix.testkit.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The training and the scoring job on a MiniCluster with Flink's Prometheus reporter, scraped
 * by a real Prometheus server on 127.0.0.1: every query of the Grafana dashboard in
 * {@code docker/grafana/dashboards/domainmix.json} must return data with a finite value. Also
 * draws the panels from the same queries ({@code target/dashboard.png}; with
 * {@code -Ddomainmix.dashboardSeconds=N} the jobs run N seconds first, for a fuller picture).
 */
class PrometheusDashboardITCase {
    private static final Path DASHBOARD = Path.of("..", "docker", "grafana", "dashboards", "domainmix.json");
    private static final int REPORTER_PORT = FreePorts.pick(1).get(0);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
            .setConfiguration(Configuration.fromMap(Map.of(
                    "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                    "metrics.reporter.prom.port", String.valueOf(REPORTER_PORT))))
            .build());

    @Test
    void everyDashboardQueryReturnsData() throws Exception {
        String binary = ExternalTool.requireOnPath(List.of("prometheus"),
                "the Debian package: apt-get install -y prometheus; .ci/run installs it");
        List<DashboardPicture.Panel> panels = panels(new ObjectMapper().readTree(DASHBOARD.toFile()));
        long started = System.currentTimeMillis() / 1000;

        String prefix = TestKafka.unique("prom");
        String run = TestKafka.unique("prom-run");
        String requests = run + "-requests";
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2", requests);
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> produce(prefix, requests, stop), "dashboard-producer");
        producer.start();

        StreamExecutionEnvironment training = StreamExecutionEnvironment.getExecutionEnvironment();
        training.setParallelism(1);
        DomainMixJob.buildKafka(training, JobOptions.parse("--bootstrap-servers", TestKafka.bootstrapServers(),
                "--topic-prefix", prefix, "--run-id", run, "--snapshot-topic", run + "-snapshots",
                "--metrics-topic", run + "-metrics", "--dead-letter-topic", run + "-dead-letters",
                "--loss-weights", "erma", "--sampling", "va", "--snapshot-every", "500", "--checkpoint-interval-ms", "2000"));
        JobClient trainingJob = training.executeAsync("training " + run);
        StreamExecutionEnvironment scoring = StreamExecutionEnvironment.getExecutionEnvironment();
        scoring.setParallelism(1);
        ScoringJob.buildKafka(scoring, ScoringOptions.parse("--bootstrap-servers", TestKafka.bootstrapServers(),
                "--requests", requests, "--snapshot-topic", run + "-snapshots", "--run-id", run,
                "--predictions-topic", run + "-predictions", "--dead-letter-topic", run + "-scoring-dead-letters",
                "--checkpoint-interval-ms", "2000"));
        JobClient scoringJob = scoring.executeAsync("scoring " + run);

        try (PrometheusServer prometheus = PrometheusServer.start(binary, Path.of("target", "prometheus-" + run),
                List.of("127.0.0.1:" + REPORTER_PORT))) {
            Map<String, String> missing = new LinkedHashMap<>();
            try {
                Await.until("every dashboard query to return finite data", Duration.ofMinutes(5), () -> {
                    missing.clear();
                    for (DashboardPicture.Panel p : panels) {
                        for (String expr : p.exprs()) {
                            String problem = problem(prometheus, expr);
                            if (problem != null) {
                                missing.put(p.title() + ": " + expr, problem);
                            }
                        }
                    }
                    return missing.isEmpty();
                });
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("queries without data: " + missing + "\nflink metrics scraped: "
                        + prometheus.query("count by (__name__) ({__name__=~\"flink_taskmanager_job_task_operator_.*\"})"), e);
            }
            int count = panels.stream().mapToInt(p -> p.exprs().size()).sum();
            System.out.printf("all %d queries of %d dashboard panels return data%n", count, panels.size());
            long extra = Long.getLong("domainmix.dashboardSeconds", 0L);
            if (extra > 0) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(extra));
            }
            DashboardPicture.render(prometheus, panels, started, System.currentTimeMillis() / 1000,
                    Path.of("target", "dashboard.png"));
        } finally {
            stop.set(true);
            producer.join(60_000);
            scoringJob.cancel().get(60, TimeUnit.SECONDS);
            trainingJob.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /** Null when the query returns at least one finite sample, else what is wrong. */
    private static String problem(PrometheusServer prometheus, String expr) {
        try {
            JsonNode result = prometheus.query(expr);
            if (result.isEmpty()) {
                return "no series";
            }
            for (JsonNode series : result) {
                if (Double.isFinite(Double.parseDouble(series.path("value").get(1).asText()))) {
                    return null;
                }
            }
            return "only non-finite values: " + result;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    static List<DashboardPicture.Panel> panels(JsonNode dashboard) {
        List<DashboardPicture.Panel> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            List<String> exprs = new ArrayList<>();
            List<String> legends = new ArrayList<>();
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
                legends.add(target.path("legendFormat").asText());
            }
            if (!exprs.isEmpty()) {
                out.add(new DashboardPicture.Panel(panel.path("title").asText(), exprs, legends));
            }
        }
        assertTrue(out.size() >= 10, "the dashboard has its panels: " + out.size());
        return out;
    }

    /** Training examples of linear-noise with one bad record in 200, and requests, until stopped. */
    private static void produce(String prefix, String requests, AtomicBoolean stop) {
        Experiment ex = Experiment.named("linear-noise", 20);
        var arrivals = ex.arrivals(ex.groundTruth(5), 5);
        try (KafkaProducer<byte[], byte[]> p = TestKafka.producer()) {
            for (long i = 0; !stop.get(); i++) {
                Example e = arrivals.next();
                byte[] value = i % 200 == 199 ? "{\"x\": [1, 2".getBytes(StandardCharsets.UTF_8) : ExampleJsonCodec.encode(e);
                p.send(new ProducerRecord<>(prefix + "." + e.domain, value));
                if (i % 5 == 0) {
                    Example q = arrivals.next();
                    q.id = "q-" + i;
                    p.send(new ProducerRecord<>(requests, i % 1000 == 0 ? new byte[] {1, 2} : ExampleBinaryCodec.encode(q)));
                }
                if (i % 100 == 0) {
                    p.flush();
                    Thread.sleep(50); // about 2,000 examples and 400 requests a second
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
