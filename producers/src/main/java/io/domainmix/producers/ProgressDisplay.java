package io.domainmix.producers;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shows what a producer is doing while it runs: on a terminal, a small table redrawn in place
 * (per domain: acknowledged examples, of how many, and the current rate); elsewhere (a log
 * file, CI), one plain line per interval, so that logs stay readable.
 */
public final class ProgressDisplay implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode {
        /** A table redrawn in place with ANSI cursor movement. */
        TERMINAL,
        /** One line per interval. */
        PLAIN,
        /** Nothing but the final summary. */
        OFF;

        /** TERMINAL when a console is attached, else PLAIN. */
        public static Mode detect() {
            return System.console() != null ? TERMINAL : PLAIN;
        }
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final DeliveryCounters counters;
    private final Function<String, Long> targetOf;
    private final Supplier<String> extra;
    private final PrintStream out;
    private final Mode mode;
    private final Duration interval;
    private final Map<String, Long> lastAcked = new HashMap<>();
    private ScheduledExecutorService timer;
    private long lastNanos;
    private int linesDrawn;

    /**
     * @param targetOf the planned count of a domain, or null when unknown/unbounded
     * @param extra a status line to add (e.g. skipped lines), or a supplier of null
     */
    /** Above this many domains, progress is one summary line. */
    static final int LISTED_DOMAINS = 20;

    public ProgressDisplay(DeliveryCounters counters, Function<String, Long> targetOf, Supplier<String> extra,
            PrintStream out, Mode mode, Duration interval) {
        this.counters = counters;
        this.targetOf = targetOf;
        this.extra = extra;
        this.out = out;
        this.mode = mode;
        this.interval = interval;
    }

    public void start() {
        if (mode == Mode.OFF) {
            return;
        }
        lastNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "domainmix-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(this::show, ms, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void show() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        lastNanos = now;
        List<DeliveryCounters.Domain> domains = counters.domains();
        if (domains.size() > LISTED_DOMAINS) {
            showSummary(domains, seconds);
            return;
        }
        if (mode == Mode.TERMINAL) {
            StringBuilder b = new StringBuilder();
            if (linesDrawn > 0) {
                b.append("\033[").append(linesDrawn).append('F'); // back to the first line of the last table
            }
            int lines = 0;
            b.append(String.format(Locale.ROOT, "%-20s %12s %12s %10s\033[K%n", "domain", "delivered", "of", "rate/s"));
            lines++;
            for (DeliveryCounters.Domain d : domains) {
                Long target = targetOf.apply(d.name());
                long acked = d.acked();
                b.append(String.format(Locale.ROOT, "%-20s %12d %12s %10.0f\033[K%n", abbreviate(d.name(), 20), acked,
                        target == null ? "-" : Long.toString(target), rate(d, acked, seconds)));
                lines++;
            }
            String x = extra.get();
            if (x != null) {
                b.append(x).append("\033[K").append(System.lineSeparator());
                lines++;
            }
            linesDrawn = lines;
            out.print(b);
        } else {
            StringBuilder b = new StringBuilder(LocalTime.now().format(CLOCK)).append(" progress:");
            long total = 0;
            for (DeliveryCounters.Domain d : domains) {
                Long target = targetOf.apply(d.name());
                long acked = d.acked();
                b.append(' ').append(d.name()).append(' ').append(acked);
                if (target != null) {
                    b.append('/').append(target);
                }
                b.append(String.format(Locale.ROOT, " (%.0f/s),", rate(d, acked, seconds)));
                total += acked;
            }
            b.append(" total ").append(total);
            String x = extra.get();
            if (x != null) {
                b.append("; ").append(x);
            }
            out.println(b);
        }
        out.flush();
    }

    /** One line for all domains: a line per domain helps no one once there are hundreds. */
    private void showSummary(List<DeliveryCounters.Domain> domains, double seconds) {
        long total = 0;
        long target = 0;
        boolean bounded = true;
        int done = 0;
        for (DeliveryCounters.Domain d : domains) {
            Long t = targetOf.apply(d.name());
            long acked = d.acked();
            total += acked;
            if (t == null) {
                bounded = false;
            } else {
                target += t;
                done += acked >= t ? 1 : 0;
            }
        }
        Long before = lastAcked.put("", total);
        double rate = (total - (before == null ? 0 : before)) / seconds;
        StringBuilder b = new StringBuilder(LocalTime.now().format(CLOCK)).append(" progress: ").append(domains.size())
                .append(" domains, delivered ").append(total);
        if (bounded) {
            b.append(" of ").append(target).append(", ").append(done).append(" domains done");
        }
        b.append(String.format(Locale.ROOT, " (%.0f/s)", rate));
        String x = extra.get();
        if (x != null) {
            b.append("; ").append(x);
        }
        out.println(b);
        out.flush();
    }

    private double rate(DeliveryCounters.Domain d, long acked, double seconds) {
        Long before = lastAcked.put(d.name(), acked);
        return (acked - (before == null ? 0 : before)) / seconds;
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    /** Stops the display after drawing the final state once more (on a terminal). */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
        if (mode == Mode.TERMINAL) {
            show();
        }
    }
}
