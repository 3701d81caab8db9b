package io.domainmix.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time while a job runs in this JVM, sampled every {@value #PERIOD_MS} ms so that a window
 * of the run (its steady part, without start-up and shut-down) can be cut out afterwards: the
 * whole process, the broker process, and each group of threads. A Flink task thread is named
 * after its chained operators (subtask suffix removed); the Kafka source's fetcher threads,
 * the sinks' producer threads and thread pools are grouped by role.
 *
 * <p>On Linux the JVM's own native threads are read from {@code /proc/self/task} and grouped too
 * (garbage collector, JIT compilers, VM thread), so that the part outside Java threads is
 * explained rather than guessed.
 *
 * <p>CPU time, unlike wall-clock busy time, does not count the time a runnable thread waits for
 * a core, so it shows where the work is even on a machine shared with other processes. A thread
 * that ends between two samples loses at most one period of its time.
 */
final class CpuProbe implements AutoCloseable {
    static final long PERIOD_MS = 250;
    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?");
    private static final Pattern NUMBERS = Pattern.compile("[-#]?\\d+");

    static final String JIT = "[JVM] JIT compiler threads";

    /** Cumulative CPU seconds at one instant. */
    record Sample(long timeMs, double process, double broker, double brokerJit, Map<String, Double> groups) {
        /**
         * The process without its JIT compiler threads: compilation is a one-off cost that a
         * short run has not yet amortized (Flink's network stack and serializers are large), and
         * it is what differs most between two runs of the same work.
         */
        double processWithoutJit() {
            return process - groups.getOrDefault(JIT, 0.0);
        }

        /** The broker without its JIT compiler threads, for the same reason. */
        double brokerWithoutJit() {
            return broker - brokerJit;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ProcessHandle broker;
    private final Map<Long, Long> baseline = new HashMap<>();
    private final Map<Long, Long> latest = new HashMap<>();
    private final Map<Long, String> groupOf = new HashMap<>();
    private final Map<String, Double> nativeBaseline = new HashMap<>(); // tid -> seconds at start
    private final Map<String, double[]> nativeLatest = new HashMap<>(); // tid -> {seconds}
    private final Map<String, String> nativeGroupOf = new HashMap<>();
    private static final String NOT_NATIVE = "";
    private final Map<Path, String> groupByTask = new HashMap<>(); // this JVM's and the broker's threads
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private final List<Sample> samples = new ArrayList<>();
    private final double process0;
    private final double broker0;
    private final double brokerJit0;
    private final Thread sampler;
    private volatile boolean running = true;

    CpuProbe(ProcessHandle broker) {
        this.broker = broker;
        this.process0 = processSeconds();
        this.broker0 = brokerSeconds();
        this.brokerJit0 = brokerJitSeconds();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                baseline.put(id, cpu);
            }
        }
        readNativeThreads(true);
        sample();
        sampler = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                sample();
            }
        }, "cpu-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    private synchronized void sample() {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (cpu >= 0 && infos[i] != null) {
                latest.put(ids[i], cpu);
                groupOf.putIfAbsent(ids[i], group(infos[i].getThreadName()));
            }
        }
        Map<String, Double> groups = new HashMap<>();
        for (Map.Entry<Long, Long> e : latest.entrySet()) {
            double s = (e.getValue() - baseline.getOrDefault(e.getKey(), 0L)) / 1e9;
            groups.merge(groupOf.get(e.getKey()), s, Double::sum);
        }
        readNativeThreads(false);
        for (Map.Entry<String, double[]> e : nativeLatest.entrySet()) {
            double s = e.getValue()[0] - nativeBaseline.getOrDefault(e.getKey(), 0.0);
            groups.merge(nativeGroupOf.get(e.getKey()), s, Double::sum);
        }
        samples.add(new Sample(System.currentTimeMillis(), processSeconds() - process0, brokerSeconds() - broker0,
                brokerJitSeconds() - brokerJit0, groups));
    }

    /** The JVM's native threads (not Java threads) by {@code /proc}: collector, compilers, VM thread. */
    private void readNativeThreads(boolean asBaseline) {
        if (!Files.isDirectory(TASKS)) {
            return;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String group;
                double seconds;
                try {
                    group = nativeGroupOf(task);
                    if (group == null) {
                        continue;
                    }
                    seconds = taskSeconds(task);
                } catch (IOException | RuntimeException e) {
                    continue; // the thread ended while being read
                }
                String tid = task.getFileName().toString();
                if (asBaseline) {
                    nativeBaseline.put(tid, seconds);
                } else {
                    nativeLatest.put(tid, new double[] {seconds});
                    nativeGroupOf.putIfAbsent(tid, group);
                }
            }
        } catch (IOException e) {
            // no /proc: the remainder stays unexplained
        }
    }

    /**
     * {@link #nativeGroup} of a {@code /proc/.../task/<tid>} directory, its name read once: the
     * probe samples every {@value #PERIOD_MS} ms, and its own reads count in the figures.
     */
    private String nativeGroupOf(Path task) throws IOException {
        String group = groupByTask.get(task);
        if (group == null) {
            String named = nativeGroup(Files.readString(task.resolve("comm")).trim());
            group = named == null ? NOT_NATIVE : named;
            groupByTask.put(task, group);
        }
        return group.isEmpty() ? null : group;
    }

    static String nativeGroup(String comm) {
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "[JVM] garbage collector threads";
        }
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("VM ")) {
            return "[JVM] VM thread (safepoints)";
        }
        return null;
    }

    private static double processSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU seconds of one thread from its {@code /proc/.../task/<tid>/stat}. */
    private static double taskSeconds(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        // fields after the parenthesised name: state is field 3, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
    }

    /** The broker's JIT compiler threads (Linux only; 0 elsewhere). */
    private double brokerJitSeconds() {
        Path tasks = broker == null ? null : Path.of("/proc", String.valueOf(broker.pid()), "task");
        if (tasks == null || !Files.isDirectory(tasks)) {
            return 0;
        }
        double sum = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                try {
                    if (JIT.equals(nativeGroupOf(task))) {
                        sum += taskSeconds(task);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    private double brokerSeconds() {
        return broker == null ? 0 : broker.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    static String group(String threadName) {
        String n = SUBTASK.matcher(threadName).replaceAll("");
        if (n.startsWith("Source Data Fetcher for ")) {
            return "Kafka source fetcher (poll, record deserializer)";
        }
        if (n.startsWith("kafka-producer-network-thread")) {
            return "Kafka producer network threads (sinks)";
        }
        if (n.startsWith("Source: ") || n.contains(" -> ") || !NUMBERS.matcher(n).find()) {
            return shorten(n);
        }
        return shorten(NUMBERS.matcher(n).replaceAll("")) + " (all)";
    }

    private static String shorten(String n) {
        String s = n.replace("Source: ", "");
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** The CPU seconds spent between two instants (the samples nearest inside them), as {start, end} difference. */
    synchronized Sample between(long fromMs, long toMs) {
        sample();
        Sample a = samples.get(0);
        Sample b = samples.get(samples.size() - 1);
        for (Sample s : samples) {
            if (s.timeMs() <= fromMs) {
                a = s;
            }
        }
        for (int i = samples.size() - 1; i >= 0; i--) {
            if (samples.get(i).timeMs() >= toMs) {
                b = samples.get(i);
            }
        }
        Map<String, Double> groups = new LinkedHashMap<>();
        List<Map.Entry<String, Double>> entries = new ArrayList<>(b.groups().entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        for (Map.Entry<String, Double> e : entries) {
            groups.put(e.getKey(), e.getValue() - a.groups().getOrDefault(e.getKey(), 0.0));
        }
        return new Sample(b.timeMs() - a.timeMs(), b.process() - a.process(), b.broker() - a.broker(),
                b.brokerJit() - a.brokerJit(), groups);
    }

    /** The whole time since construction. */
    Sample total() {
        return between(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Lines "µs CPU per example  group" for the groups above 3% of the process, then the rest. */
    static List<String> perExample(Sample window, double examples) {
        List<String> out = new ArrayList<>();
        double threadsTotal = 0;
        double rest = 0;
        List<Map.Entry<String, Double>> entries = new ArrayList<>(window.groups().entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        for (Map.Entry<String, Double> e : entries) {
            threadsTotal += e.getValue();
            if (e.getValue() >= 0.03 * window.process()) {
                out.add(String.format(Locale.ROOT, "%6.2f µs/ex  %s", 1e6 * e.getValue() / examples, e.getKey()));
            } else {
                rest += e.getValue();
            }
        }
        out.add(String.format(Locale.ROOT, "%6.2f µs/ex  other threads", 1e6 * rest / examples));
        out.add(String.format(Locale.ROOT, "%6.2f µs/ex  rest of the process (threads not identified)",
                1e6 * (window.process() - threadsTotal) / examples));
        return out;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
