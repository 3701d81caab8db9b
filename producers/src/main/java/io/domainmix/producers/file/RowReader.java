package io.domainmix.producers.file;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Reads the records of an input file one at a time. A record that cannot be split into fields
 * comes back as a broken {@link InputRow}, not an exception, so that the caller decides whether
 * to skip it; an exception means the rest of the file cannot be read (e.g. an unterminated
 * quote, or malformed JSON inside a JSON array).
 */
public interface RowReader extends Closeable {
    /** The next record, or null at the end of the file. */
    InputRow next() throws IOException;

    /** The column names seen so far, in order of first appearance (a CSV header: all of them). */
    List<String> columns();

    /** Opens a file in the given format. */
    static RowReader open(java.nio.file.Path file, InputFormat format, char delimiter) throws IOException {
        switch (format.resolve(file)) {
            case CSV:
                return new CsvRowReader(file, delimiter);
            case JSON_ARRAY:
                return new JsonArrayRowReader(file);
            default:
                return new JsonLinesRowReader(file);
        }
    }
}
