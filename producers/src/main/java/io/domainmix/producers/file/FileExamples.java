package io.domainmix.producers.file;

import io.domainmix.core.data.Example;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.stats.Welford;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The examples of an input file, without Kafka: resolves the columns (inferring the features
 * from the head of the file when none are named), then streams the records as examples and
 * hands every record that cannot become one to a {@link BadLineSink} with its line number.
 *
 * <p>Passes over the file: one when neither standardization, mean filling nor shuffling is
 * asked for (the file is streamed); two when statistics are needed (the first only computes
 * them; bad lines are reported once, in the second); with shuffling or a holdout, one read into
 * memory, then the split, the statistics of the training rows and a seeded Fisher–Yates shuffle
 * in memory. Categorical columns add a first pass that collects their categories.
 *
 * <p>With a holdout, standardization and mean filling use the training rows' statistics only
 * (the held-out rows are scaled with them too), so nothing about the held-out rows leaks into
 * what is trained on.
 */
public final class FileExamples {
    /** Receives examples; may throw to stop (e.g. a failed delivery). */
    @FunctionalInterface
    public interface ExampleSink {
        void accept(Example e) throws Exception;
    }

    /** Receives the records that were skipped; throws {@link BadInputException} to stop at one. */
    @FunctionalInterface
    public interface BadLineSink {
        void accept(BadLine bad) throws Exception;
    }

    /** What to read and how. */
    public static final class Options {
        public Path file;
        public InputFormat format = InputFormat.AUTO;
        /** 0: by file name (tab for .tsv, else comma). */
        public char delimiter;
        public String domainColumn;
        /** The domain of every record when there is no domain column. */
        public String fixedDomain;
        public String labelColumn;
        /** null: every numeric column other than domain and label. */
        public List<String> features;
        public ColumnMapping.MissingValues missing = ColumnMapping.MissingValues.SKIP;
        public boolean standardize;
        /** null: no shuffling. */
        public Long shuffleSeed;
        /** Stop at the first bad record (also during a statistics pass). */
        public boolean strict;
        /** Columns to one-hot encode; null or empty: none. */
        public List<String> categorical;
        public ColumnMapping.LabelTransform labelTransform = ColumnMapping.LabelTransform.NONE;
        /** The fraction of each domain's rows held out of training (0: none). */
        public double holdoutFraction;
        public long holdoutSeed = 42;
    }

    /** Distinct values a categorical column may have before it is refused as not categorical. */
    public static final int MAX_CATEGORIES = 1000;

    private final Options options;
    private final String fileName;
    private ColumnMapping mapping;
    private final Map<String, String> rejectedColumns = new LinkedHashMap<>();
    private FeatureScaling scaling;
    private double labelMean = Double.NaN;
    private double labelSd = Double.NaN;
    private List<Example> holdout = List.of();

    public FileExamples(Options options) {
        if (options.labelColumn == null || options.labelColumn.isEmpty()) {
            throw new IllegalArgumentException("a label column is required");
        }
        this.options = options;
        this.fileName = options.file.getFileName().toString();
    }

    private char delimiter() {
        return options.delimiter != 0 ? options.delimiter : InputFormat.defaultDelimiter(options.file);
    }

    private RowReader open() throws IOException {
        return RowReader.open(options.file, options.format, delimiter());
    }

    /** The resolved columns; reads the head of the file on first call. */
    public ColumnMapping mapping() throws IOException {
        if (mapping != null) {
            return mapping;
        }
        List<InputRow> head = new ArrayList<>();
        List<String> columns;
        try (RowReader r = open()) {
            InputRow row;
            while (head.size() < ColumnMapping.INFERENCE_ROWS && (row = r.next()) != null) {
                head.add(row);
            }
            columns = r.columns();
        }
        requireColumn(columns, options.labelColumn, "label", head);
        if (options.domainColumn != null) {
            requireColumn(columns, options.domainColumn, "domain", head);
        }
        String fixedDomain = options.domainColumn == null
                ? (options.fixedDomain != null ? options.fixedDomain : baseName(fileName)) : null;
        List<String> categorical = options.categorical == null ? List.of() : options.categorical;
        for (String c : categorical) {
            requireColumn(columns, c, "categorical", head);
        }
        List<String> features;
        if (options.features != null && !options.features.isEmpty()) {
            features = new ArrayList<>(options.features);
            features.removeAll(categorical); // named in both: encoded, not parsed as a number
            for (String f : features) {
                requireColumn(columns, f, "feature", head);
            }
        } else {
            Set<String> exclude = new HashSet<>(categorical);
            exclude.add(options.labelColumn);
            if (options.domainColumn != null) {
                exclude.add(options.domainColumn);
            }
            features = ColumnMapping.inferFeatures(columns, head, exclude, rejectedColumns);
            if (features.isEmpty() && categorical.isEmpty()) {
                throw new IllegalArgumentException(fileName + ": no numeric feature columns found (columns: "
                        + String.join(", ", columns) + "); name them with --features");
            }
        }
        mapping = new ColumnMapping(fileName, options.domainColumn, fixedDomain, options.labelColumn, features,
                options.missing, categories(categorical), options.labelTransform);
        return mapping;
    }

    /** Every categorical column's distinct values over the whole file, sorted: the same on every run. */
    private Map<String, List<String>> categories(List<String> categorical) throws IOException {
        Map<String, java.util.TreeSet<String>> seen = new LinkedHashMap<>();
        for (String c : categorical) {
            seen.put(c, new java.util.TreeSet<>());
        }
        if (!categorical.isEmpty()) {
            try (RowReader r = open()) {
                InputRow row;
                while ((row = r.next()) != null) {
                    if (row.isBroken()) {
                        continue;
                    }
                    for (Map.Entry<String, java.util.TreeSet<String>> c : seen.entrySet()) {
                        String v = row.fields().get(c.getKey());
                        if (!ColumnMapping.isMissing(v) && c.getValue().add(v.trim())
                                && c.getValue().size() > MAX_CATEGORIES) {
                            throw new IllegalArgumentException(fileName + ": column '" + c.getKey() + "' has more than "
                                    + MAX_CATEGORIES + " distinct values: not a categorical column");
                        }
                    }
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        seen.forEach((c, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException(fileName + ": categorical column '" + c + "' has no values");
            }
            out.put(c, List.copyOf(values));
        });
        return out;
    }

    private void requireColumn(List<String> columns, String column, String role, List<InputRow> head) {
        // a CSV header lists every column; for JSON only the keys seen in the head of the file are known
        if (!columns.contains(column) && !(columns.isEmpty() && head.isEmpty())) {
            throw new IllegalArgumentException(fileName + ": no " + role + " column '" + column + "'; columns: "
                    + String.join(", ", columns));
        }
    }

    /** Columns left out of the inferred features, with the reason (empty when features were named). */
    public Map<String, String> rejectedColumns() {
        return rejectedColumns;
    }

    /** The first-pass statistics, once computed (standardization or mean filling), else null. */
    public FeatureScaling scaling() {
        return scaling;
    }

    /** The mean and standard deviation of the label (training rows) under --label-transform standardize. */
    public double labelMean() {
        return labelMean;
    }

    public double labelStandardDeviation() {
        return labelSd;
    }

    /** The held-out rows, in file order, once {@link #forEach} has run (empty without a holdout). */
    public List<Example> holdout() {
        return holdout;
    }

    private boolean needsStatistics() {
        return options.standardize || options.missing == ColumnMapping.MissingValues.MEAN || standardizesLabel();
    }

    private boolean standardizesLabel() {
        return options.labelTransform == ColumnMapping.LabelTransform.STANDARDIZE;
    }

    /**
     * Streams every training example to {@code sink} and every skipped record to {@code bad};
     * the held-out rows are kept for {@link #holdout()}.
     */
    public void forEach(ExampleSink sink, BadLineSink bad, BooleanSupplier stop) throws Exception {
        ColumnMapping m = mapping();
        if (options.shuffleSeed != null || options.holdoutFraction > 0) {
            List<Example> all = new ArrayList<>();
            read(m, all::add, bad, stop);
            HoldoutSplit split = HoldoutSplit.of(all, options.holdoutFraction, options.holdoutSeed);
            all = new ArrayList<>(split.training());
            holdout = split.holdout();
            if (needsStatistics()) {
                FeatureScaling s = new FeatureScaling(m.features().size());
                Welford labels = new Welford();
                for (Example e : all) {
                    s.add(e.x);
                    labels.add(e.y);
                }
                s.finish(options.standardize);
                scaling = s;
                fixLabelScale(labels);
                for (List<Example> part : List.of(all, holdout)) {
                    for (Example e : part) {
                        s.apply(e.x);
                        e.y = scaledLabel(e.y);
                    }
                }
            }
            if (options.shuffleSeed != null) {
                shuffle(all, options.shuffleSeed);
            }
            for (Example e : all) {
                if (stop.getAsBoolean()) {
                    return;
                }
                sink.accept(e);
            }
            return;
        }
        if (needsStatistics()) {
            FeatureScaling s = new FeatureScaling(m.features().size());
            Welford labels = new Welford();
            read(m, e -> {
                s.add(e.x);
                labels.add(e.y);
            }, b -> {
                if (options.strict) {
                    bad.accept(b); // strict: the first bad record stops the run before anything is sent
                }
            }, stop);
            s.finish(options.standardize);
            scaling = s;
            fixLabelScale(labels);
            read(m, e -> {
                s.apply(e.x);
                e.y = scaledLabel(e.y);
                sink.accept(e);
            }, bad, stop);
            return;
        }
        read(m, sink, bad, stop);
    }

    private void fixLabelScale(Welford labels) {
        if (standardizesLabel()) {
            labelMean = labels.count() == 0 ? 0.0 : labels.mean();
            double sd = labels.standardDeviation();
            labelSd = sd > 0 ? sd : 1.0;
        }
    }

    private double scaledLabel(double y) {
        return standardizesLabel() ? (y - labelMean) / labelSd : y;
    }

    private void read(ColumnMapping m, ExampleSink sink, BadLineSink bad, BooleanSupplier stop) throws Exception {
        try (RowReader r = open()) {
            InputRow row;
            while (!stop.getAsBoolean() && (row = r.next()) != null) {
                ColumnMapping.Converted c = m.convert(row);
                if (c.isBad()) {
                    bad.accept(c.bad());
                } else {
                    sink.accept(c.example());
                }
            }
        }
    }

    /** Fisher–Yates with the project's seeded generator: the same seed gives the same order anywhere. */
    static <T> void shuffle(List<T> list, long seed) {
        SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, "shuffle"));
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static String baseName(String fileName) {
        int dot = fileName.indexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
