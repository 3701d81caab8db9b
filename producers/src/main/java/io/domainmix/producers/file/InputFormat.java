package io.domainmix.producers.file;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats a replay reads. */
public enum InputFormat {
    /** Comma- (or otherwise) separated values with a header line; RFC 4180 quoting. */
    CSV,
    /** One JSON object per line (JSON lines, ndjson). */
    JSON_LINES,
    /** One JSON array of objects, pretty-printed or not (e.g. vega-datasets' cars.json). */
    JSON_ARRAY,
    /** By file name: .csv/.tsv/.txt are CSV, .jsonl/.ndjson JSON lines; .json is an array if it starts with '['. */
    AUTO;

    /** The concrete format of {@code file}: this one, or the detected one for AUTO. */
    public InputFormat resolve(Path file) throws IOException {
        if (this != AUTO) {
            return this;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSON_LINES;
        }
        if (name.endsWith(".json")) {
            return firstNonBlank(file) == '[' ? JSON_ARRAY : JSON_LINES;
        }
        return CSV;
    }

    /** The default delimiter for a file: tab for .tsv, else comma. */
    public static char defaultDelimiter(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }

    public static InputFormat parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "csv": return CSV;
            case "jsonl": case "json-lines": case "ndjson": return JSON_LINES;
            case "json": case "json-array": return JSON_ARRAY;
            case "auto": return AUTO;
            default:
                throw new IllegalArgumentException("unknown format '" + s + "'; allowed: auto, csv, jsonl, json");
        }
    }

    private static int firstNonBlank(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            while ((c = r.read()) >= 0) {
                if (c == '\uFEFF' || Character.isWhitespace(c)) {
                    continue;
                }
                return c;
            }
            return -1;
        }
    }
}
