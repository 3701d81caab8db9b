package io.domainmix.job;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the job's output topics.
 * <ul>
 *   <li>snapshot: the fields of {@link ModelSnapshot} plus {@code "final"} (true on the last
 *       snapshot of a bounded run);</li>
 *   <li>metrics: run, step and examples seen, then per domain {@code n, arrivals, nonFinite,
 *       share, recentShare, longRunShare, lossEma, gradientSecondMoment, lossWeight,
 *       samplingProbability, slots} ({@code slots}: the SGD slots that drew the domain so far), then {@code gradientNoise} (measured, measuredEma, predicted,
 *       proportional, varianceAware), {@code staleness} (p50, p95, max), training loss, step
 *       size, skipped updates. {@code lossEma} keeps its earlier name for readers of earlier
 *       runs; it is now the windowed mean L̄_k of {@link MetricsRecord#loss};</li>
 *   <li>dead letter: the fields of {@link DeadLetter}.</li>
 * </ul>
 * Non-finite numbers (a statistic not yet known) are written as the strings "NaN"/"Infinity".
 */
public final class JobJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JobJson() {}

    public static byte[] snapshot(PublishedSnapshot p) {
        return SnapshotRecord.write(p.snapshot, p.last);
    }

    /** Reads a snapshot record; null when the bytes are not a snapshot (the topic is shared with other writers). */
    public static PublishedSnapshot readSnapshot(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(value);
            if (node == null || !node.isObject() || !node.has("version")) {
                return null;
            }
            ModelSnapshot s = MAPPER.treeToValue(node, ModelSnapshot.class);
            return new PublishedSnapshot(s, node.path("final").asBoolean(false));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    public static byte[] metrics(MetricsRecord m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("runId", m.runId);
        root.put("step", m.step);
        root.put("examplesSeen", m.examplesSeen);
        root.put("timestamp", m.timestamp);
        root.put("final", m.last);
        ObjectNode domains = root.putObject("domains");
        for (int i = 0; i < m.domains.length; i++) {
            ObjectNode d = domains.putObject(m.domains[i]);
            d.put("n", m.statsCount[i]);
            d.put("arrivals", m.arrivals[i]);
            d.put("nonFinite", m.nonFinite[i]);
            d.put("share", m.share[i]);
            d.put("recentShare", m.recentShare[i]);
            d.put("longRunShare", m.longRunShare[i]);
            d.put("lossEma", m.loss[i]);
            d.put("gradientSecondMoment", m.gradientSecondMoment[i]);
            d.put("lossWeight", m.lossWeight[i]);
            d.put("samplingProbability", m.samplingProbability[i]);
            d.put("slots", m.slots[i]);
        }
        ObjectNode noise = root.putObject("gradientNoise");
        noise.put("measured", m.noiseMeasured);
        noise.put("measuredEma", m.noiseMeasuredEma);
        noise.put("predicted", m.noisePredicted);
        noise.put("proportional", m.noiseProportional);
        noise.put("varianceAware", m.noiseVarianceAware);
        ObjectNode staleness = root.putObject("staleness");
        staleness.put("p50", m.stalenessP50);
        staleness.put("p95", m.stalenessP95);
        staleness.put("max", m.stalenessMax);
        ObjectNode use = root.putObject("sampleUse");
        use.put("fractionUsed", m.fractionUsed);
        use.put("meanUses", m.meanUses);
        root.put("trainingLoss", m.trainingLoss);
        root.put("stepSize", m.stepSize);
        root.put("skippedUpdates", m.skippedUpdates);
        if (m.healthEvents != null && m.healthEvents.length > 0) {
            root.set("healthEvents", MAPPER.valueToTree(m.healthEvents));
        }
        return write(root);
    }

    public static byte[] deadLetter(DeadLetter d) {
        return write(MAPPER.valueToTree(d));
    }

    /** Parses any of the job's JSON records into a tree (for tools and tests). */
    public static JsonNode tree(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
