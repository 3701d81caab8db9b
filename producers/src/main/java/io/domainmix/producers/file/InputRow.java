package io.domainmix.producers.file;

import java.util.Map;

/**
 * One record of an input file as text: its line number (1-based, where the record starts),
 * its fields by column name (a null value is a JSON null), or the reason it could not be
 * split into fields at all (wrong column count, not a JSON object, malformed JSON).
 */
public final class InputRow {
    private final long line;
    private final Map<String, String> fields;
    private final BadLine.Reason errorReason;
    private final String error;

    private InputRow(long line, Map<String, String> fields, BadLine.Reason errorReason, String error) {
        this.line = line;
        this.fields = fields;
        this.errorReason = errorReason;
        this.error = error;
    }

    public static InputRow of(long line, Map<String, String> fields) {
        return new InputRow(line, fields, null, null);
    }

    public static InputRow broken(long line, BadLine.Reason reason, String message) {
        return new InputRow(line, Map.of(), reason, message);
    }

    public long line() {
        return line;
    }

    public Map<String, String> fields() {
        return fields;
    }

    public boolean isBroken() {
        return error != null;
    }

    public BadLine.Reason errorReason() {
        return errorReason;
    }

    public String error() {
        return error;
    }
}
