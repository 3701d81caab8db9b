package io.domainmix.cli.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model should converge to. Either the synthetic producer's truth document (run name,
 * seed, model, the planned domains, and the ground truth under {@code "truth"}), or a bare
 * {@link GroundTruth}. With the seed and the domains, the data themselves can be regenerated,
 * which the closed-form oracle and the held-out loss of an MLP need.
 */
public final class TruthDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String name;
    private final GroundTruth truth;
    private final Long seed;
    private final List<DomainSpec> domains;

    public TruthDocument(String name, GroundTruth truth, Long seed, List<DomainSpec> domains) {
        this.name = name;
        this.truth = truth;
        this.seed = seed;
        this.domains = List.copyOf(domains);
    }

    public static TruthDocument read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    public static TruthDocument parse(byte[] json, String source) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": not a truth document (expected a JSON object)");
        }
        JsonNode t = root.has("truth") ? root.get("truth") : root;
        if (!t.path("theta").isArray() || !t.hasNonNull("kind")) {
            throw new IllegalArgumentException(source + ": no ground truth (expected 'truth' with 'kind' and 'theta')");
        }
        GroundTruth truth = MAPPER.treeToValue(t, GroundTruth.class);
        Long seed = root.hasNonNull("seed") ? root.get("seed").asLong() : null;
        List<DomainSpec> domains = new ArrayList<>();
        for (JsonNode d : root.path("domains")) {
            DomainSpec spec = new DomainSpec(d.path("name").asText(), d.path("scale").asDouble(1.0),
                    d.path("noise").asDouble(0.0), d.path("flip").asDouble(0.0), 1.0);
            if (d.path("startsAt").asDouble(0) > 0 || d.path("stopsAt").asDouble(1) < 1) {
                spec = spec.activeBetween(d.path("startsAt").asDouble(0), d.path("stopsAt").asDouble(1));
            }
            if (d.hasNonNull("noiseChangesAt")) {
                spec = spec.withNoiseChange(d.get("noiseChangesAt").asDouble(), d.path("noiseAfterChange").asDouble());
            }
            domains.add(spec);
        }
        TruthDocument doc = new TruthDocument(root.path("run").asText("experiment"), truth, seed, domains);
        doc.streamLength = root.hasNonNull("examples") ? root.get("examples").asLong() : null;
        return doc;
    }

    /** The stream's length, for an experiment with a change point (its changes are fractions of it). */
    private Long streamLength;

    /** Whether a domain appears, stops or changes its noise within the stream (and the stream's length is known). */
    public boolean changes() {
        return streamLength != null && domains.stream().anyMatch(DomainSpec::changes);
    }

    /** The length of a changing stream; see {@link #changes()}. */
    public long streamLength() {
        if (streamLength == null) {
            throw new IllegalStateException("the truth document has no stream length");
        }
        return streamLength;
    }

    public String name() {
        return name;
    }

    public GroundTruth truth() {
        return truth;
    }

    public ModelType modelType() {
        return truth.modelType();
    }

    /** Whether the examples can be regenerated (seed and domains known). */
    public boolean regenerable() {
        return seed != null && !domains.isEmpty();
    }

    public long seed() {
        if (seed == null) {
            throw new IllegalStateException("the truth document has no seed");
        }
        return seed;
    }

    public List<DomainSpec> domains() {
        return domains;
    }

    /** The experiment whose generators produced the data (needs {@link #regenerable()}). */
    public Experiment experiment() {
        if (!regenerable()) {
            throw new IllegalStateException("the truth document has no seed or domains");
        }
        return new Experiment(name, modelType(), truth.dimension, domains);
    }
}
