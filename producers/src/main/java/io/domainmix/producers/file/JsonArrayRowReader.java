package io.domainmix.producers.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Streams the elements of a top-level JSON array of objects (one object in memory at a time).
 * Each record's line is the line of its opening brace. An element that is not an object is a
 * broken row; malformed JSON ends the read, since the array cannot be resynchronised.
 */
final class JsonArrayRowReader implements RowReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String fileName;
    private final JsonParser parser;
    private final Set<String> columns = new LinkedHashSet<>();
    private boolean ended;

    JsonArrayRowReader(Path file) throws IOException {
        this.fileName = file.getFileName().toString();
        this.parser = MAPPER.getFactory().createParser(file.toFile());
        JsonToken t = wrap(parser::nextToken);
        if (t != JsonToken.START_ARRAY) {
            throw new IOException(fileName + ": a JSON array of objects is expected (use --format jsonl for JSON lines)");
        }
    }

    @Override
    public InputRow next() throws IOException {
        if (ended) {
            return null;
        }
        JsonToken t = wrap(parser::nextToken);
        if (t == JsonToken.END_ARRAY || t == null) {
            ended = true;
            return null;
        }
        long line = parser.currentTokenLocation().getLineNr();
        JsonNode node = wrap(() -> MAPPER.readTree(parser));
        if (!node.isObject()) {
            return InputRow.broken(line, BadLine.Reason.MALFORMED, "array element is not a JSON object");
        }
        return JsonFields.of(line, node, columns);
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    private <T> T wrap(Read<T> read) throws IOException {
        try {
            return read.read();
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new IOException(fileName + " line " + line + ": malformed JSON, cannot read further: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public List<String> columns() {
        return new ArrayList<>(columns);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
