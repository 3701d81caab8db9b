package io.domainmix.producers.file;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PushbackReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CSV file with a header line through Jackson's CSV parser: quoted fields with
 * delimiters, doubled quotes and line breaks inside them; blank lines are skipped; spaces
 * around unquoted values are trimmed. A row with more or fewer values than the header is a
 * broken row, reported with the line it starts on.
 */
final class CsvRowReader implements RowReader {
    private static final CsvMapper MAPPER = new CsvMapper();

    private final String fileName;
    private final CsvParser parser;
    private final List<String> header;

    CsvRowReader(Path file, char delimiter) throws IOException {
        this.fileName = file.getFileName().toString();
        PushbackReader in = new PushbackReader(new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8)));
        int first = in.read();
        if (first >= 0 && first != '\uFEFF') { // a byte-order mark would otherwise stick to the first column name
            in.unread(first);
        }
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
        this.parser = (CsvParser) MAPPER.getFactory().createParser(in);
        parser.setSchema(schema);
        parser.enable(CsvParser.Feature.TRIM_SPACES);
        List<String> names = readValues();
        if (names == null) {
            throw new IOException(fileName + " is empty: a header line with column names is required");
        }
        Set<String> seen = new HashSet<>();
        List<String> h = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).isEmpty() ? "column" + (i + 1) : names.get(i);
            if (!seen.add(n)) {
                throw new IOException(fileName + " line 1: column name '" + n + "' appears twice in the header");
            }
            h.add(n);
        }
        this.header = Collections.unmodifiableList(h);
    }

    private long rowLine;

    /** The values of the next row, or null at the end; {@link #rowLine} is where it starts. */
    private List<String> readValues() throws IOException {
        JsonToken t;
        List<String> values;
        do {
            t = parser.nextToken();
            if (t == null) {
                return null;
            }
            values = readRow(t);
        } while (values.size() == 1 && values.get(0).isEmpty()); // a blank line
        return values;
    }

    private List<String> readRow(JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new IOException(fileName + ": unexpected CSV token " + t);
        }
        List<String> values = new ArrayList<>();
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException(fileName + " line " + rowLine + ": the file ends inside a row");
            }
            if (values.isEmpty()) {
                // the array start carries the previous row's location; the first value has its own
                rowLine = parser.currentTokenLocation().getLineNr();
            }
            values.add(parser.getText());
        }
        return values;
    }

    @Override
    public InputRow next() throws IOException {
        List<String> values;
        try {
            values = readValues();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the rest of the file cannot be split reliably (e.g. an unterminated quote)
            throw new IOException(fileName + " line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        }
        if (values == null) {
            return null;
        }
        if (values.size() != header.size()) {
            return InputRow.broken(rowLine, BadLine.Reason.WRONG_COLUMN_COUNT,
                    values.size() + " values, the header has " + header.size() + " columns");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            fields.put(header.get(i), values.get(i));
        }
        return InputRow.of(rowLine, fields);
    }

    @Override
    public List<String> columns() {
        return header;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
