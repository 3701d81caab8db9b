package io.domainmix.cli.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.train.ModelSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects snapshot and metrics records of one or more runs, from JSON-lines files or from the
 * values of a topic, and groups them by run id. Each record is recognised by its shape, so a
 * file may mix both kinds and several runs; anything else (a blank line, a dead letter) is
 * counted and skipped.
 */
public final class RecordReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Map<String, RunRecords> runs = new LinkedHashMap<>();
    private long snapshots;
    private long metrics;
    private long skipped;

    /** Reads a JSON-lines file (one record per line). */
    public RecordReader readFile(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return this;
    }

    /** Adds the values of records read from a topic. */
    public RecordReader readValues(List<byte[]> values) {
        for (byte[] v : values) {
            add(v);
        }
        return this;
    }

    /** Adds one record value; returns whether it was a snapshot or metrics record. */
    public boolean add(byte[] value) {
        JsonNode node;
        try {
            node = value == null ? null : MAPPER.readTree(value);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            skipped++;
            return false;
        }
        if (MetricsPoint.isMetrics(node)) {
            MetricsPoint m = MetricsPoint.of(node);
            run(m.runId).add(m);
            metrics++;
            return true;
        }
        if (node.has("version") && node.has("averagedTheta") && node.hasNonNull("runId")) {
            try {
                ModelSnapshot s = MAPPER.treeToValue(node, ModelSnapshot.class);
                run(s.runId).add(s);
                snapshots++;
                return true;
            } catch (IOException | IllegalArgumentException e) {
                skipped++;
                return false;
            }
        }
        skipped++;
        return false;
    }

    private RunRecords run(String runId) {
        return runs.computeIfAbsent(runId == null ? "run" : runId, RunRecords::new);
    }

    /** The runs, in order of first appearance. */
    public List<RunRecords> runs() {
        return new ArrayList<>(runs.values());
    }

    public long snapshotCount() {
        return snapshots;
    }

    public long metricsCount() {
        return metrics;
    }

    public long skippedCount() {
        return skipped;
    }
}
