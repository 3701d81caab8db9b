package io.domainmix.cli.produce;

import io.domainmix.producers.file.ColumnMapping;
import io.domainmix.producers.file.FileExamples;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which columns of a file make an example, and how they are encoded: shared by {@code produce file} and {@code demo --data}. */
public final class FileColumnOptions {
    @Option(names = "--domain-column", paramLabel = "COLUMN", description = "The column that names each record's domain.")
    public String domainColumn;

    @Option(names = "--label-column", paramLabel = "COLUMN", description = "The column of the label y (required).")
    public String labelColumn;

    @Option(names = "--features", paramLabel = "COLUMN", split = ",",
            description = "Numeric feature columns in order (default: every other column that is numeric in the first 1000 records).")
    List<String> features = new ArrayList<>();

    @Option(names = "--categorical", paramLabel = "COLUMN", split = ",",
            description = "Columns to one-hot encode, one feature per category (categories: the column's distinct values in the whole file, sorted; recorded in the split directory's encoding.json). A missing value skips the record under --missing skip, else encodes as all zeros.")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--label-transform", paramLabel = "T", defaultValue = "none",
            description = "none, log (ln y; a label <= 0 skips its record) or standardize ((y - mean) / sd of the training rows) (default: ${DEFAULT-VALUE}).")
    String labelTransform;

    @Option(names = "--missing", paramLabel = "POLICY", defaultValue = "skip",
            description = "A missing feature value (empty, NA, N/A, NaN, null, None, ?): skip the record, or fill with zero or the column mean (default: ${DEFAULT-VALUE}).")
    String missing;

    /**
     * Sets the columns and their encoding on {@code o}.
     *
     * @throws IllegalArgumentException naming the option that is missing or has a bad value
     */
    public void applyTo(FileExamples.Options o) {
        if (labelColumn == null) {
            throw new IllegalArgumentException("--label-column is required");
        }
        o.domainColumn = domainColumn;
        o.labelColumn = labelColumn;
        o.features = features.isEmpty() ? null : features;
        o.categorical = categorical;
        o.labelTransform = ColumnMapping.LabelTransform.parse(labelTransform);
        o.missing = ColumnMapping.MissingValues.parse(missing);
    }
}
