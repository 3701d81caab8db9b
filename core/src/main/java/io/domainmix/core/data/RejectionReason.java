package io.domainmix.core.data;

/** Why a record was not accepted as an example. Stable names: they appear in dead letters. */
public enum RejectionReason {
    EMPTY_RECORD,
    OVERSIZED_RECORD,
    NOT_JSON,
    NOT_AN_OBJECT,
    MISSING_FEATURES,
    FEATURES_NOT_AN_ARRAY,
    NON_NUMERIC_FEATURE,
    MISSING_LABEL,
    NON_NUMERIC_LABEL,
    NON_FINITE_VALUE,
    WRONG_DIMENSION,
    LABEL_NOT_BINARY,
    INVALID_WEIGHT,
    INVALID_DOMAIN,
    UNSUPPORTED_VERSION,
    /** A binary record that cannot be read structurally (wrong magic, truncated, trailing bytes). */
    MALFORMED_RECORD
}
