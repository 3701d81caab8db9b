package io.domainmix.core.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.train.ModelSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a record of the snapshot topic: the JSON of {@link ModelSnapshot} (plus a
 * {@code "final"} flag, ignored here) as the training job writes it. Unknown fields are
 * ignored, so that readers keep working when the job adds fields.
 */
public final class SnapshotRecord {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SnapshotRecord() {}

    /** The record value of a snapshot; {@code last} marks the final snapshot of a bounded run. */
    public static byte[] write(ModelSnapshot snapshot, boolean last) {
        ObjectNode node = MAPPER.valueToTree(snapshot);
        node.put("final", last);
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The snapshot in {@code value}.
     *
     * @throws IllegalArgumentException saying why, when the bytes are not a snapshot
     */
    public static ModelSnapshot read(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty record");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject() || !node.hasNonNull("version") || !node.hasNonNull("runId")) {
            throw new IllegalArgumentException("not a snapshot: a JSON object with runId and version is required");
        }
        try {
            return MAPPER.treeToValue(node, ModelSnapshot.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a snapshot: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
