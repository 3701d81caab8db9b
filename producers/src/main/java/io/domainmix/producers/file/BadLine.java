package io.domainmix.producers.file;

/** A record of the input that cannot become an example: where it is, why, and in what words. */
public final class BadLine {
    /** Why a record was skipped; the summary counts skipped lines by these. */
    public enum Reason {
        WRONG_COLUMN_COUNT("wrong column count"),
        MALFORMED("malformed"),
        NOT_A_NUMBER("not a number"),
        MISSING_LABEL("missing label"),
        MISSING_VALUE("missing value"),
        MISSING_DOMAIN("missing domain"),
        UNKNOWN_CATEGORY("unknown category"),
        LABEL_NOT_POSITIVE("label not positive");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String file;
    private final long line;
    private final Reason reason;
    private final String detail;

    public BadLine(String file, long line, Reason reason, String detail) {
        this.file = file;
        this.line = line;
        this.reason = reason;
        this.detail = detail;
    }

    public long line() {
        return line;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    /** {@code cars.csv line 17: missing label: no value in label column 'mpg'} */
    public String message() {
        return file + " line " + line + ": " + reason.label() + ": " + detail;
    }

    @Override
    public String toString() {
        return message();
    }
}
