package io.domainmix.producers.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object per line. A line that is not a JSON object is a broken row with its
 * line number; the next line is read normally (JSON lines resynchronise at every newline).
 */
final class JsonLinesRowReader implements RowReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BufferedReader in;
    private final Set<String> columns = new LinkedHashSet<>();
    private long line;

    JsonLinesRowReader(Path file) throws IOException {
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    @Override
    public InputRow next() throws IOException {
        String text;
        do {
            text = in.readLine();
            if (text == null) {
                return null;
            }
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        } while (text.isBlank());
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return InputRow.broken(line, BadLine.Reason.MALFORMED, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return InputRow.broken(line, BadLine.Reason.MALFORMED, "a JSON object is required");
        }
        return JsonFields.of(line, node, columns);
    }

    @Override
    public List<String> columns() {
        return new ArrayList<>(columns);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
