package io.domainmix.producers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;

/**
 * Per-domain counts of examples handed to the Kafka producer and of those the broker
 * acknowledged or that failed. Sends happen on the producing thread, acknowledgements on the
 * Kafka I/O thread, and the progress display reads from a third: all counts are atomic.
 * After a flush, {@code sent == acked + failed} for every domain.
 */
public final class DeliveryCounters {
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicLong failedTotal = new AtomicLong();

    /** The counts of one domain. */
    public static final class Domain {
        private final String name;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong acked = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        private Domain(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public long sent() {
            return sent.get();
        }

        public long acked() {
            return acked.get();
        }

        public long failed() {
            return failed.get();
        }
    }

    /** The counter of a domain, registered on first use; the display lists domains in that order. */
    public synchronized Domain domain(String name) {
        return domains.computeIfAbsent(name, Domain::new);
    }

    public synchronized List<Domain> domains() {
        return new ArrayList<>(domains.values());
    }

    /** Counts a send and returns the callback that counts its outcome. */
    public Callback onSend(Domain d) {
        d.sent.incrementAndGet();
        return (metadata, exception) -> {
            if (exception == null) {
                d.acked.incrementAndGet();
            } else {
                d.failed.incrementAndGet();
                failedTotal.incrementAndGet();
                firstFailure.compareAndSet(null, exception);
            }
        };
    }

    /** The first delivery failure, or null: producers stop at it rather than go on losing examples. */
    public Exception firstFailure() {
        return firstFailure.get();
    }

    public long failed() {
        return failedTotal.get();
    }

    public long acked() {
        long n = 0;
        for (Domain d : domains()) {
            n += d.acked();
        }
        return n;
    }

    public long sent() {
        long n = 0;
        for (Domain d : domains()) {
            n += d.sent();
        }
        return n;
    }
}
