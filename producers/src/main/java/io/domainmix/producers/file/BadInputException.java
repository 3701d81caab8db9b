package io.domainmix.producers.file;

/** Stops a strict replay at the first record that cannot become an example. */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient BadLine badLine;

    public BadInputException(BadLine badLine) {
        super(badLine.message() + " (stopped: --strict)");
        this.badLine = badLine;
    }

    public BadLine badLine() {
        return badLine;
    }
}
