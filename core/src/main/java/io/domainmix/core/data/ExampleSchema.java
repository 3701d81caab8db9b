package io.domainmix.core.data;

import java.io.Serializable;

/**
 * What a run accepts: the feature dimension (0 accepts any dimension, for tools that only
 * inspect records), the label kind, the largest record in bytes, and whether a label is required
 * (training) or optional (scoring requests: a record without {@code y}, or with a NaN label in the
 * binary format, is accepted with {@code y = NaN}).
 */
public final class ExampleSchema implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    private final int dimension;
    private final LabelKind labelKind;
    private final int maxRecordBytes;
    private final boolean labelRequired;

    public ExampleSchema(int dimension, LabelKind labelKind, int maxRecordBytes) {
        this(dimension, labelKind, maxRecordBytes, true);
    }

    public ExampleSchema(int dimension, LabelKind labelKind, int maxRecordBytes, boolean labelRequired) {
        if (dimension < 0) {
            throw new IllegalArgumentException("dimension must be >= 0: " + dimension);
        }
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        this.dimension = dimension;
        this.labelKind = labelKind;
        this.maxRecordBytes = maxRecordBytes;
        this.labelRequired = labelRequired;
    }

    public ExampleSchema(int dimension, LabelKind labelKind) {
        this(dimension, labelKind, DEFAULT_MAX_RECORD_BYTES);
    }

    public int dimension() {
        return dimension;
    }

    public LabelKind labelKind() {
        return labelKind;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public boolean labelRequired() {
        return labelRequired;
    }
}
