package io.domainmix.core.data;

/** What a label may be: any finite real (regression) or exactly 0 or 1 (binary classifiers). */
public enum LabelKind {
    REAL,
    BINARY;

    public boolean accepts(double y) {
        return this == REAL || y == 0.0 || y == 1.0;
    }
}
