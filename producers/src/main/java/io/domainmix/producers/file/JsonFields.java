package io.domainmix.producers.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Turns one JSON object into the text fields of an {@link InputRow}. */
final class JsonFields {
    private JsonFields() {}

    /**
     * Numbers keep their literal text, booleans become "1"/"0", null stays null (a missing
     * value), nested arrays and objects keep their JSON text (so they fail as "not a number"
     * with the value shown, if used as a feature).
     */
    static InputRow of(long line, JsonNode object, Set<String> columns) {
        Map<String, String> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String text;
            if (v.isNull()) {
                text = null;
            } else if (v.isBoolean()) {
                text = v.booleanValue() ? "1" : "0";
            } else if (v.isValueNode()) {
                text = v.asText();
            } else {
                text = v.toString();
            }
            fields.put(e.getKey(), text);
            columns.add(e.getKey());
        }
        return InputRow.of(line, fields);
    }
}
