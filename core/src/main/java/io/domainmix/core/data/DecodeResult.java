package io.domainmix.core.data;

/**
 * The outcome of decoding one record: either a valid {@link Example} or a rejection with a
 * reason and a human-readable detail. Decoding never throws on bad data: bad data is an
 * expected input of a stream, not an exceptional one.
 */
public final class DecodeResult {
    private final Example example;
    private final RejectionReason reason;
    private final String detail;

    private DecodeResult(Example example, RejectionReason reason, String detail) {
        this.example = example;
        this.reason = reason;
        this.detail = detail;
    }

    public static DecodeResult accepted(Example example) {
        return new DecodeResult(example, null, null);
    }

    public static DecodeResult rejected(RejectionReason reason, String detail) {
        return new DecodeResult(null, reason, detail);
    }

    public boolean isAccepted() {
        return example != null;
    }

    /** The example; only when {@link #isAccepted()}. */
    public Example example() {
        if (example == null) {
            throw new IllegalStateException("record was rejected: " + describe());
        }
        return example;
    }

    public RejectionReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    /** "REASON: detail", the form written to dead letters. */
    public String describe() {
        return isAccepted() ? "accepted" : reason + ": " + detail;
    }

    @Override
    public String toString() {
        return isAccepted() ? "accepted " + example : "rejected " + describe();
    }
}
