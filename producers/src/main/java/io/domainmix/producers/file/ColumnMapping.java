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
 *
 * <p>Categorical columns are one-hot encoded after the numeric features, one column per
 * category ({@code column=value}), categories in sorted order from a first pass over the whole
 * file (so that every row of the file, training or held out, is encoded with the same columns).
 * A missing categorical value skips the record under {@link MissingValues#SKIP}; under the
 * other policies it is encoded as all zeros (no category). The label may be replaced by its
 * natural logarithm ({@link LabelTransform#LOG}: a label ≤ 0 skips the record).
 */
public final class ColumnMapping {
    /** What a missing feature value does. */
    public enum MissingValues {
        SKIP,
        ZERO,
        /** Filled with the column mean of the records that have it (needs a first pass). */
        MEAN;

        public static MissingValues parse(String s) {
            return parseOption(MissingValues.class, s, "missing-value policy");
        }
    }

    /** What is done to the label before it is sent. */
    public enum LabelTransform {
        NONE,
        /** ln y; a label ≤ 0 skips its record. */
        LOG,
        /** (y − mean) / sd over the rows sent for training (needs a first pass). */
        STANDARDIZE;

        public static LabelTransform parse(String s) {
            return parseOption(LabelTransform.class, s, "label transform");
        }
    }

    /** An option value as one of an enum's constants, any case; else a message naming the allowed values. */
    static <E extends Enum<E>> E parseOption(Class<E> type, String s, String what) {
        String v = s.trim().toUpperCase(Locale.ROOT);
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + s + "'; allowed: " + String.join(", ", allowed));
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
    private final Map<String, List<String>> categories;
    private final LabelTransform labelTransform;
    private final List<String> encodedFeatures;

    public ColumnMapping(String fileName, String domainColumn, String fixedDomain, String labelColumn,
            List<String> features, MissingValues missing) {
        this(fileName, domainColumn, fixedDomain, labelColumn, features, missing, Map.of(), LabelTransform.NONE);
    }

    /**
     * @param categories each categorical column with its categories in encoding order (the
     *                   iteration order of the map is the order of the one-hot blocks)
     */
    public ColumnMapping(String fileName, String domainColumn, String fixedDomain, String labelColumn,
            List<String> features, MissingValues missing, Map<String, List<String>> categories,
            LabelTransform labelTransform) {
        if ((domainColumn == null) == (fixedDomain == null)) {
            throw new IllegalArgumentException("give either a domain column or a fixed domain name");
        }
        if (features.isEmpty() && categories.isEmpty()) {
            throw new IllegalArgumentException("no feature columns");
        }
        this.fileName = fileName;
        this.domainColumn = domainColumn;
        this.fixedDomain = fixedDomain;
        this.labelColumn = labelColumn;
        this.features = List.copyOf(features);
        this.missing = missing;
        this.categories = new LinkedHashMap<>();
        List<String> encoded = new ArrayList<>(features);
        for (Map.Entry<String, List<String>> c : categories.entrySet()) {
            this.categories.put(c.getKey(), List.copyOf(c.getValue()));
            for (String v : c.getValue()) {
                encoded.add(c.getKey() + "=" + v);
            }
        }
        this.labelTransform = labelTransform;
        this.encodedFeatures = List.copyOf(encoded);
    }

    /** The name of every entry of an example's x: the numeric features, then the one-hot columns. */
    public List<String> encodedFeatures() {
        return encodedFeatures;
    }

    /** The categorical columns and their categories, in encoding order. */
    public Map<String, List<String>> categories() {
        return categories;
    }

    public LabelTransform labelTransform() {
        return labelTransform;
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
        if (labelTransform == LabelTransform.LOG) {
            if (!(y > 0)) {
                return bad(row, BadLine.Reason.LABEL_NOT_POSITIVE, "label column '" + labelColumn + "' is "
                        + abbreviate(labelText.trim()) + ": --label-transform log needs a positive label");
            }
            y = Math.log(y);
        }
        double[] x = new double[encodedFeatures.size()];
        for (int i = 0; i < features.size(); i++) {
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
        int offset = features.size();
        for (Map.Entry<String, List<String>> c : categories.entrySet()) {
            String v = f.get(c.getKey());
            List<String> levels = c.getValue();
            if (isMissing(v)) {
                if (missing == MissingValues.SKIP) {
                    return bad(row, BadLine.Reason.MISSING_VALUE, "no value in categorical column '" + c.getKey() + "'");
                }
            } else {
                int level = levels.indexOf(v.trim());
                if (level < 0) {
                    return bad(row, BadLine.Reason.UNKNOWN_CATEGORY, "categorical column '" + c.getKey() + "' is '"
                            + abbreviate(v) + "', not one of its " + levels.size() + " categories");
                }
                x[offset + level] = 1.0;
            }
            offset += levels.size();
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
        categories.forEach((c, levels) -> parts.put("one-hot " + c, levels.size() + " categories: "
                + String.join(", ", levels)));
        if (labelTransform != LabelTransform.NONE) {
            parts.put("label transform", labelTransform.name().toLowerCase(Locale.ROOT));
        }
        StringBuilder b = new StringBuilder();
        parts.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
        return b.toString();
    }
}
