package io.domainmix.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of the job published, read back from Kafka as any downstream consumer would: its
 * model snapshots (in version order) and metrics records, filtered by run id.
 */
public final class JobOutputs {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final List<JsonNode> snapshots;
    private final List<JsonNode> metrics;

    private JobOutputs(List<JsonNode> snapshots, List<JsonNode> metrics) {
        this.snapshots = snapshots;
        this.metrics = metrics;
    }

    public static JobOutputs read(String bootstrapServers, JobArguments job) {
        List<JsonNode> snapshots = new ArrayList<>(ofRun(
                TopicReader.readAll(bootstrapServers, job.snapshotTopic(), READ_TIMEOUT), job.runId()));
        snapshots.sort(Comparator.comparingLong(s -> s.path("version").asLong()));
        List<JsonNode> metrics = ofRun(TopicReader.readAll(bootstrapServers, job.metricsTopic(), READ_TIMEOUT), job.runId());
        return new JobOutputs(snapshots, metrics);
    }

    private static List<JsonNode> ofRun(List<JsonNode> records, String runId) {
        return records.stream().filter(r -> runId.equals(r.path("runId").asText())).toList();
    }

    public List<JsonNode> snapshots() {
        return snapshots;
    }

    public List<JsonNode> metrics() {
        return metrics;
    }

    /** The one snapshot marked final (the end of a bounded or drained run). */
    public JsonNode finalSnapshot() {
        List<JsonNode> last = snapshots.stream().filter(s -> s.path("final").asBoolean()).toList();
        assertEquals(1, last.size(), "final snapshots");
        return last.get(0);
    }

    /** The one metrics record marked final. */
    public JsonNode finalMetrics() {
        List<JsonNode> last = metrics.stream().filter(m -> m.path("final").asBoolean()).toList();
        assertEquals(1, last.size(), "final metrics records");
        return last.get(0);
    }

    /** Per domain, the statistics operator's count ({@code n}) in a metrics record. */
    public static Map<String, Long> statisticsCounts(JsonNode metricsRecord) {
        return perDomain(metricsRecord, "n");
    }

    /** Per domain, the examples the trainer received ({@code arrivals}) in a metrics record. */
    public static Map<String, Long> trainerArrivals(JsonNode metricsRecord) {
        return perDomain(metricsRecord, "arrivals");
    }

    private static Map<String, Long> perDomain(JsonNode metricsRecord, String field) {
        Map<String, Long> counts = new TreeMap<>();
        metricsRecord.path("domains").fields().forEachRemaining(d -> counts.put(d.getKey(), d.getValue().path(field).asLong()));
        return counts;
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** A per-domain entry of a snapshot ({@code lossWeight}, {@code samplingProbability}, {@code share}). */
    public static double ofDomain(JsonNode snapshot, String field, String domain) {
        JsonNode domains = snapshot.path("domains");
        for (int i = 0; i < domains.size(); i++) {
            if (domains.get(i).asText().equals(domain)) {
                return snapshot.path(field).get(i).asDouble();
            }
        }
        throw new AssertionError("no domain " + domain + " in snapshot " + snapshot);
    }
}
