package io.domainmix.cli.demo;

import io.domainmix.cli.report.MetricsPoint;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of runs while they train: one row per policy and domain with λ, p, the prequential
 * loss and the examples seen. On a terminal it is redrawn in place (ANSI cursor movement);
 * otherwise it degrades to a plain line per running run every few seconds and one when a run ends.
 */
final class LiveTable implements AutoCloseable {
    private static final String HEADER = String.format(Locale.ROOT, "%-22s %-13s %-6s %10s %8s %7s %11s",
            "policy", "state", "domain", "examples", "λ", "p", "loss");

    private final List<PolicyRun> runs;
    private final List<String> domains;
    private final long totalExamples;
    private final PrintStream out;
    private final boolean ansi;
    private final long plainEveryNanos;
    private final Thread thread;
    private volatile boolean stop;
    private int drawnLines;
    private long lastPlain;
    private final List<PolicyRun.State> reported = new ArrayList<>();

    LiveTable(List<PolicyRun> runs, List<String> domains, long totalExamples, PrintStream out, boolean ansi,
              long plainEverySeconds) {
        this.runs = runs;
        this.domains = domains;
        this.totalExamples = totalExamples;
        this.out = out;
        this.ansi = ansi;
        this.plainEveryNanos = plainEverySeconds * 1_000_000_000L;
        for (int i = 0; i < runs.size(); i++) {
            reported.add(PolicyRun.State.WAITING);
        }
        lastPlain = System.nanoTime();
        thread = new Thread(this::loop, "live-table");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            refresh();
            try {
                Thread.sleep(ansi ? 500 : 1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized void refresh() {
        if (ansi) {
            redraw();
        } else {
            plainLines(false);
        }
    }

    private void redraw() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (PolicyRun r : runs) {
            MetricsPoint m = r.latest();
            for (int d = 0; d < domains.size(); d++) {
                String domain = domains.get(d);
                int i = m == null ? -1 : m.indexOf(domain);
                lines.add(String.format(Locale.ROOT, "%-22s %-13s %-6s %10s %8s %7s %11s",
                        d == 0 ? r.policy().name() : "", d == 0 ? state(r) : "", domain,
                        i < 0 ? "-" : String.format(Locale.ROOT, "%,d", m.arrivals[i]),
                        i < 0 ? "-" : fmt(m.lossWeight[i], 3), i < 0 ? "-" : fmt(m.samplingProbability[i], 3),
                        i < 0 ? "-" : fmt(m.lossEma[i], 4)));
            }
        }
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) {
            b.append("\033[").append(drawnLines).append('F'); // to the start of the table's first line
        }
        for (String l : lines) {
            b.append("\033[2K").append(l).append('\n');
        }
        out.print(b);
        out.flush();
        drawnLines = lines.size();
    }

    private void plainLines(boolean force) {
        long now = System.nanoTime();
        boolean periodic = force || now - lastPlain >= plainEveryNanos;
        for (int i = 0; i < runs.size(); i++) {
            PolicyRun r = runs.get(i);
            PolicyRun.State s = r.state();
            boolean ended = (s == PolicyRun.State.DONE || s == PolicyRun.State.FAILED) && reported.get(i) != s;
            if (ended || (periodic && s == PolicyRun.State.RUNNING)) {
                out.println(line(r));
                reported.set(i, s);
            }
        }
        if (periodic) {
            lastPlain = now;
        }
        out.flush();
    }

    private String line(PolicyRun r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-22s %s", r.policy().name(), state(r)));
        MetricsPoint m = r.latest();
        if (m != null) {
            b.append(String.format(Locale.ROOT, ", %,d examples", m.examplesSeen));
            for (String d : domains) {
                int i = m.indexOf(d);
                if (i >= 0) {
                    b.append(String.format(Locale.ROOT, "; %s λ=%s p=%s loss=%s", d, fmt(m.lossWeight[i], 3),
                            fmt(m.samplingProbability[i], 3), fmt(m.lossEma[i], 4)));
                }
            }
        }
        if (r.state() == PolicyRun.State.FAILED) {
            b.append(": ").append(r.failure());
        }
        return b.toString();
    }

    private String state(PolicyRun r) {
        MetricsPoint m = r.latest();
        switch (r.state()) {
            case RUNNING:
                long seen = m == null ? 0 : m.examplesSeen;
                return String.format(Locale.ROOT, "running %3d%%", totalExamples > 0 ? Math.min(100, seen * 100 / totalExamples) : 0);
            case DONE:
                return String.format(Locale.ROOT, "done %.0fs", r.seconds());
            case FAILED:
                return "FAILED";
            default:
                return "waiting";
        }
    }

    private static String fmt(double v, int digits) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** Stops refreshing after one last refresh, so the final state stays on screen. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(5_000);
        synchronized (this) {
            if (ansi) {
                redraw();
            } else {
                plainLines(false);
            }
        }
    }
}
