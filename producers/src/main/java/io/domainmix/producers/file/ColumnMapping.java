package io.domainmix.producers.file;

import io.domainmix.core.data.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which columns of a record make an example: the domain (a column, or one fixed name for the
 * whole file), the label, and the features in order; and what a missing feature value does.
 *
 * <p>Missing values are empty fields, JSON nulls, absent JSON keys, and the tokens
 * {@code NA, N/A, NaN, null, None, ?} (any case). A missing label or domain always skips the
 * record; a missing feature skips it ({@link MissingValues#SKIP}, the default) or is filled with
 * 0 or the column's mean.
 */
public final class ColumnMapping {
    /** What a missing feature value does. */
    public enum MissingValues {
        SKIP,
        ZERO,
        /** Filled with the column mean of the records that have it (needs a first pass). */
        MEAN;

        public static MissingValues parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Features are inferred from at most this many records at the start of the file. */
    public static final int INFERENCE_ROWS = 1000;
    private static final Set<String> MISSING_TOKENS = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    private final String fileName;
    private final String domainColumn;
    private final String fixedDomain;
    private final String labelColumn;
    private final List<String> features;
    private final MissingValues missing;

    public ColumnMapping(String fileName, String domainColumn, String fixedDomain, String labelColumn,
            List<String> features, MissingValues missing) {
        if ((domainColumn == null) == (fixedDomain == null)) {
            throw new IllegalArgumentException("give either a domain column or a fixed domain name");
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no feature columns");
        }
        this.fileName = fileName;
        this.domainColumn = domainColumn;
        this.fixedDomain = fixedDomain;
        this.labelColumn = labelColumn;
        this.features = List.copyOf(features);
        this.missing = missing;
    }

    public List<String> features() {
        return features;
    }

    public String labelColumn() {
        return labelColumn;
    }

    public String domainColumn() {
        return domainColumn;
    }

    public MissingValues missing() {
        return missing;
    }

    /**
     * The numeric columns among {@code sample}'s columns, except the domain and label: those in
     * which more than half of the values present parse as finite numbers. A majority rather than
     * all of them, so that a typo in a numeric column makes its line a reported bad line instead
     * of quietly dropping the whole column.
     *
     * @param rejected filled with the other columns and why they are not features
     */
    public static List<String> inferFeatures(List<String> columns, List<InputRow> sample, Set<String> exclude,
            Map<String, String> rejected) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (exclude.contains(c)) {
                continue;
            }
            int present = 0;
            int numeric = 0;
            String example = null;
            for (InputRow r : sample) {
                if (r.isBroken()) {
                    continue;
                }
                String v = r.fields().get(c);
                if (isMissing(v)) {
                    continue;
                }
                present++;
                if (parse(v) != null) {
                    numeric++;
                } else if (example == null) {
                    example = "'" + abbreviate(v) + "' at line " + r.line();
                }
            }
            if (present == 0) {
                rejected.put(c, "no values in the first " + sample.size() + " records");
            } else if (2 * numeric <= present) {
                rejected.put(c, "not numeric: " + (present - numeric) + " of " + present + " values, e.g. " + example);
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** The outcome of converting one record. */
    public static final class Converted {
        private final Example example;
        private final BadLine bad;

        private Converted(Example example, BadLine bad) {
            this.example = example;
            this.bad = bad;
        }

        public boolean isBad() {
            return bad != null;
        }

        /** The example; missing features are NaN under {@link MissingValues#MEAN}, filled later. */
        public Example example() {
            return example;
        }

        public BadLine bad() {
            return bad;
        }
    }

    public Converted convert(InputRow row) {
        if (row.isBroken()) {
            return bad(row, row.errorReason(), row.error());
        }
        Map<String, String> f = row.fields();
        String domain = fixedDomain;
        if (domain == null) {
            domain = f.get(domainColumn);
            if (isMissing(domain)) {
                return bad(row, BadLine.Reason.MISSING_DOMAIN, "no value in domain column '" + domainColumn + "'");
            }
            domain = domain.trim();
        }
        String labelText = f.get(labelColumn);
        if (isMissing(labelText)) {
            return bad(row, BadLine.Reason.MISSING_LABEL, "no value in label column '" + labelColumn + "'");
        }
        Double y = parse(labelText);
        if (y == null) {
            return bad(row, BadLine.Reason.NOT_A_NUMBER, "label column '" + labelColumn + "' is '"
                    + abbreviate(labelText) + "', not a finite number");
        }
        double[] x = new double[features.size()];
        for (int i = 0; i < x.length; i++) {
            String c = features.get(i);
            String v = f.get(c);
            if (isMissing(v)) {
                switch (missing) {
                    case SKIP:
                        return bad(row, BadLine.Reason.MISSING_VALUE, "no value in feature column '" + c + "'");
                    case ZERO:
                        x[i] = 0.0;
                        break;
                    default:
                        x[i] = Double.NaN;
                }
                continue;
            }
            Double d = parse(v);
            if (d == null) {
                return bad(row, BadLine.Reason.NOT_A_NUMBER, "feature column '" + c + "' is '" + abbreviate(v)
                        + "', not a finite number");
            }
            x[i] = d;
        }
        return new Converted(new Example(domain, x, y, 1.0, fileName + ":" + row.line(), Long.MIN_VALUE), null);
    }

    private Converted bad(InputRow row, BadLine.Reason reason, String detail) {
        return new Converted(null, new BadLine(fileName, row.line(), reason, detail));
    }

    static boolean isMissing(String v) {
        return v == null || MISSING_TOKENS.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /** A finite number, or null. Accepts "true"/"false" as 1/0 (binary labels in CSV files). */
    static Double parse(String v) {
        String s = v.trim();
        if (s.equalsIgnoreCase("true")) {
            return 1.0;
        }
        if (s.equalsIgnoreCase("false")) {
            return 0.0;
        }
        if (s.isEmpty() || !isNumberLike(s)) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Plain decimal notation only: Java would also take "1d", "0x1p3" and "Infinity". */
    private static boolean isNumberLike(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String v) {
        return v.length() <= 40 ? v : v.substring(0, 37) + "...";
    }

    /** For messages: the columns in use, e.g. "domain Origin, label mpg, 5 features: a, b, ...". */
    public String describe() {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("domain", domainColumn != null ? "column " + domainColumn : "'" + fixedDomain + "' (fixed)");
        parts.put("label", labelColumn);
        parts.put(features.size() + (features.size() == 1 ? " feature" : " features"), String.join(", ", features));
        StringBuilder b = new StringBuilder();
        parts.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
        return b.toString();
    }
}
