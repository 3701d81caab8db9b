package io.domainmix.producers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a producer run did, as figures: examples delivered per domain, failures, skipped input
 * lines by reason, elapsed time, and whether it was stopped before the end.
 */
public final class ProduceSummary {
    private final String source;
    private final Map<String, Long> delivered;
    private final long failed;
    private final Map<String, Long> skippedByReason;
    private final double elapsedSeconds;
    private final boolean stoppedEarly;
    private final String error;

    public ProduceSummary(String source, Map<String, Long> delivered, long failed, Map<String, Long> skippedByReason,
            double elapsedSeconds, boolean stoppedEarly, String error) {
        this.source = source;
        this.delivered = new LinkedHashMap<>(delivered);
        this.failed = failed;
        this.skippedByReason = new LinkedHashMap<>(skippedByReason);
        this.elapsedSeconds = elapsedSeconds;
        this.stoppedEarly = stoppedEarly;
        this.error = error;
    }

    public Map<String, Long> delivered() {
        return delivered;
    }

    public long deliveredTotal() {
        return delivered.values().stream().mapToLong(Long::longValue).sum();
    }

    public long failed() {
        return failed;
    }

    public Map<String, Long> skippedByReason() {
        return skippedByReason;
    }

    public long skippedTotal() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public double elapsedSeconds() {
        return elapsedSeconds;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** The error that ended the run, or null. */
    public String error() {
        return error;
    }

    /** True when the run finished, delivered everything it sent, and met no error. */
    public boolean succeeded() {
        return error == null && failed == 0 && !stoppedEarly;
    }

    /** The one-line summary printed at the end of a run. */
    public String oneLine() {
        StringBuilder b = new StringBuilder(source).append(": ");
        long total = deliveredTotal();
        b.append(total).append(total == 1 ? " example" : " examples").append(" delivered");
        if (delivered.size() > ProgressDisplay.LISTED_DOMAINS) {
            long least = delivered.values().stream().mapToLong(Long::longValue).min().orElse(0);
            long most = delivered.values().stream().mapToLong(Long::longValue).max().orElse(0);
            b.append(" (").append(delivered.size()).append(" domains, ").append(least)
                    .append(least == most ? " each)" : " to " + most + " each)");
        } else if (!delivered.isEmpty()) {
            b.append(" (");
            boolean first = true;
            for (Map.Entry<String, Long> e : delivered.entrySet()) {
                b.append(first ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
                first = false;
            }
            b.append(')');
        }
        b.append(String.format(Locale.ROOT, " in %.1f s (%.0f/s)", elapsedSeconds,
                elapsedSeconds > 0 ? total / elapsedSeconds : 0.0));
        long skipped = skippedTotal();
        if (skipped > 0 || !skippedByReason.isEmpty()) {
            b.append("; ").append(skipped).append(skipped == 1 ? " line" : " lines").append(" skipped");
            if (!skippedByReason.isEmpty()) {
                b.append(" (");
                boolean first = true;
                for (Map.Entry<String, Long> e : skippedByReason.entrySet()) {
                    b.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
                    first = false;
                }
                b.append(')');
            }
        }
        b.append("; ").append(failed).append(" failed");
        if (stoppedEarly) {
            b.append("; stopped before the end");
        }
        if (error != null) {
            b.append("; error: ").append(error);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
