package io.domainmix.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition against a deadline; the failure names what was awaited and what was last seen. */
public final class Await {

    private Await() {}

    /**
     * Polls {@code probe} every {@code interval} until it yields a value or {@code timeout}
     * passes. A probe that throws a runtime exception counts as "not yet" (a server still
     * starting, a REST call refused), and its last exception is reported; an
     * {@link AssertionError} is a verdict and ends the wait at once.
     */
    public static <T> T until(String what, Duration timeout, Duration interval, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent()) {
                    return value.get();
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (lastError == null ? "" : " (last error: " + lastError + ")"));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            sleep(interval);
        }
    }

    public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, Duration.ofMillis(200), () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
