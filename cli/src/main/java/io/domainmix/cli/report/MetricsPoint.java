package io.domainmix.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One record of a run's metrics topic, as the job writes it: run, step, examples seen, then per
 * domain {@code n, arrivals, share, lossEma, gradientSecondMoment, lossWeight, samplingProbability},
 * then the gradient noise (measured, predicted for the weights in force, for proportional and for
 * pure VA sampling) and the training loss. Arrays are indexed like {@link #domains}. Values not
 * known yet are NaN.
 */
public final class MetricsPoint {
    public final String runId;
    public final long step;
    public final long examplesSeen;
    public final boolean last;
    public final String[] domains;
    public final long[] arrivals;
    public final double[] share;
    public final double[] lossEma;
    public final double[] gradientSecondMoment;
    public final double[] lossWeight;
    public final double[] samplingProbability;
    public final double noiseMeasured;
    public final double noisePredicted;
    public final double noiseProportional;
    public final double noiseVarianceAware;
    public final double trainingLoss;
    /** The domain health events this record carries (the job publishes a record with them when they happen). */
    public final List<HealthMark> healthEvents;

    /** A domain health event as the metrics record carries it: domain, kind and the run's arrivals then. */
    public record HealthMark(String domain, String kind, long arrivals, String message) {}

    private MetricsPoint(JsonNode root) {
        runId = root.path("runId").asText(null);
        step = root.path("step").asLong();
        examplesSeen = root.path("examplesSeen").asLong();
        last = root.path("final").asBoolean(false);
        JsonNode d = root.path("domains");
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        int k = names.size();
        domains = names.toArray(new String[0]);
        arrivals = new long[k];
        share = new double[k];
        lossEma = new double[k];
        gradientSecondMoment = new double[k];
        lossWeight = new double[k];
        samplingProbability = new double[k];
        for (int i = 0; i < k; i++) {
            JsonNode n = d.get(domains[i]);
            arrivals[i] = n.path("arrivals").asLong(n.path("n").asLong());
            share[i] = number(n.path("share"));
            lossEma[i] = number(n.path("lossEma"));
            gradientSecondMoment[i] = number(n.path("gradientSecondMoment"));
            lossWeight[i] = number(n.path("lossWeight"));
            samplingProbability[i] = number(n.path("samplingProbability"));
        }
        JsonNode noise = root.path("gradientNoise");
        noiseMeasured = number(noise.path("measured"));
        noisePredicted = number(noise.path("predicted"));
        noiseProportional = number(noise.path("proportional"));
        noiseVarianceAware = number(noise.path("varianceAware"));
        trainingLoss = number(root.path("trainingLoss"));
        List<HealthMark> events = new ArrayList<>();
        for (JsonNode e : root.path("healthEvents")) {
            events.add(new HealthMark(e.path("domain").asText(), e.path("kind").asText(),
                    e.path("arrivals").asLong(examplesSeen), e.path("message").asText("")));
        }
        healthEvents = List.copyOf(events);
    }

    /** True when the JSON object has the shape of a metrics record. */
    static boolean isMetrics(JsonNode root) {
        return root.isObject() && root.has("runId") && root.path("domains").isObject() && root.has("gradientNoise");
    }

    static MetricsPoint of(JsonNode root) {
        return new MetricsPoint(root);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A record value parsed as metrics, or null when it is not a metrics record. */
    public static MetricsPoint parse(byte[] value) {
        try {
            JsonNode n = value == null ? null : MAPPER.readTree(value);
            return n != null && isMetrics(n) ? new MetricsPoint(n) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The index of a domain, or -1. */
    public int indexOf(String domain) {
        for (int i = 0; i < domains.length; i++) {
            if (domains[i].equals(domain)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A number that the writer may have put as a string: non-finite values travel as "NaN" or
     * "Infinity" because JSON has no literal for them.
     */
    static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
