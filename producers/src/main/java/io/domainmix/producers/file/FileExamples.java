package io.domainmix.producers.file;

import io.domainmix.core.data.Example;
import io.domainmix.core.rng.SplitMix64;
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
 * them; bad lines are reported once, in the second); with shuffling, one read into memory, then
 * the statistics and a seeded Fisher–Yates shuffle in memory.
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
    }

    private final Options options;
    private final String fileName;
    private ColumnMapping mapping;
    private final Map<String, String> rejectedColumns = new LinkedHashMap<>();
    private FeatureScaling scaling;

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
        List<String> features;
        if (options.features != null && !options.features.isEmpty()) {
            features = options.features;
            for (String f : features) {
                requireColumn(columns, f, "feature", head);
            }
        } else {
            Set<String> exclude = new HashSet<>();
            exclude.add(options.labelColumn);
            if (options.domainColumn != null) {
                exclude.add(options.domainColumn);
            }
            features = ColumnMapping.inferFeatures(columns, head, exclude, rejectedColumns);
            if (features.isEmpty()) {
                throw new IllegalArgumentException(fileName + ": no numeric feature columns found (columns: "
                        + String.join(", ", columns) + "); name them with --features");
            }
        }
        mapping = new ColumnMapping(fileName, options.domainColumn, fixedDomain, options.labelColumn, features,
                options.missing);
        return mapping;
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

    private boolean needsStatistics() {
        return options.standardize || options.missing == ColumnMapping.MissingValues.MEAN;
    }

    /** Streams every example to {@code sink} and every skipped record to {@code bad}. */
    public void forEach(ExampleSink sink, BadLineSink bad, BooleanSupplier stop) throws Exception {
        ColumnMapping m = mapping();
        if (options.shuffleSeed != null) {
            List<Example> all = new ArrayList<>();
            read(m, all::add, bad, stop);
            if (needsStatistics()) {
                scaling = new FeatureScaling(m.features().size());
                for (Example e : all) {
                    scaling.add(e.x);
                }
                scaling.finish(options.standardize);
                for (Example e : all) {
                    scaling.apply(e.x);
                }
            }
            shuffle(all, options.shuffleSeed);
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
            read(m, e -> s.add(e.x), b -> {
                if (options.strict) {
                    bad.accept(b); // strict: the first bad record stops the run before anything is sent
                }
            }, stop);
            s.finish(options.standardize);
            scaling = s;
            read(m, e -> {
                s.apply(e.x);
                sink.accept(e);
            }, bad, stop);
            return;
        }
        read(m, sink, bad, stop);
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
