package io.domainmix.core.data;

/**
 * The checks every wire format shares once its fields are read: a finite label of the run's
 * kind, a finite non-negative weight, and a domain from the record, else the key, else the
 * topic. One place, so that JSON and binary records are accepted by the same rules.
 */
final class ExampleValidation {
    /** Kafka's topic-name limit: domains become topic suffixes. */
    static final int MAX_DOMAIN_LENGTH = 249;

    private ExampleValidation() {}

    /**
     * The checks every format makes before reading a record: that it has a value and that the
     * value is within the schema's size limit. Null when both hold.
     */
    static DecodeResult checkSize(ExampleSchema schema, byte[] value) {
        if (value == null || value.length == 0) {
            return DecodeResult.rejected(RejectionReason.EMPTY_RECORD, "record has no value");
        }
        if (value.length > schema.maxRecordBytes()) {
            return DecodeResult.rejected(RejectionReason.OVERSIZED_RECORD,
                    value.length + " bytes exceeds the limit of " + schema.maxRecordBytes());
        }
        return null;
    }

    static DecodeResult accept(ExampleSchema schema, String domain, String keyDomain, String topicDomain,
                               double[] x, double y, double weight, String id, long timestamp) {
        boolean unlabelled = Double.isNaN(y) && !schema.labelRequired();
        if (!unlabelled && !Double.isFinite(y)) {
            return DecodeResult.rejected(RejectionReason.NON_FINITE_VALUE, "y is " + y);
        }
        if (!unlabelled && !schema.labelKind().accepts(y)) {
            return DecodeResult.rejected(RejectionReason.LABEL_NOT_BINARY, "y is " + y + "; a classifier needs 0 or 1");
        }
        if (!Double.isFinite(weight) || weight < 0) {
            return DecodeResult.rejected(RejectionReason.INVALID_WEIGHT, "w is " + weight + "; it must be finite and >= 0");
        }
        String resolved = domain != null ? domain : keyDomain != null && !keyDomain.isEmpty() ? keyDomain : topicDomain;
        if (resolved == null || resolved.isEmpty()) {
            return DecodeResult.rejected(RejectionReason.INVALID_DOMAIN, "no domain in the record, key or topic");
        }
        if (resolved.length() > MAX_DOMAIN_LENGTH) {
            return DecodeResult.rejected(RejectionReason.INVALID_DOMAIN,
                    "domain name longer than " + MAX_DOMAIN_LENGTH + " characters");
        }
        return DecodeResult.accepted(new Example(resolved, x, y, weight, id, timestamp));
    }
}
