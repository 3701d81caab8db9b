package io.domainmix.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap of this JVM while something runs in it: the peak of the used heap (sampled; includes
 * garbage not yet collected, so it mostly shows how much room the collector took) and the heap
 * after each garbage collection (the live set plus survivors: what the state and buffers
 * really hold). A flat after-GC series over a long run is what bounded state looks like.
 */
final class HeapMonitor implements NotificationListener, AutoCloseable {
    private static final long SAMPLE_MS = 20;

    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<long[]> afterGc = new ArrayList<>(); // {nanoTime, bytes}
    private final Thread sampler;
    private final long started = System.nanoTime();
    private volatile boolean running = true;
    private volatile long peakUsed;
    private final List<Long> liveByFullGc = new ArrayList<>();

    HeapMonitor() {
        this(0);
    }

    /**
     * @param fullGcEveryMs when positive, a full collection every this many milliseconds and the
     *     heap after it recorded: the live set itself, without the garbage that young collections
     *     leave in the old generation until a concurrent cycle (which is what makes the after-GC
     *     series of a shorter run creep up although nothing is kept)
     */
    HeapMonitor(long fullGcEveryMs) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
        sampler = new Thread(() -> {
            long nextFullGc = System.nanoTime() + fullGcEveryMs * 1_000_000;
            while (running) {
                peakUsed = Math.max(peakUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                if (fullGcEveryMs > 0 && System.nanoTime() >= nextFullGc) {
                    long live = liveHeapNow();
                    synchronized (liveByFullGc) {
                        liveByFullGc.add(live);
                    }
                    nextFullGc = System.nanoTime() + fullGcEveryMs * 1_000_000;
                }
                try {
                    Thread.sleep(SAMPLE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Heap in use after a full collection now: the baseline before a run. */
    static long liveHeapNow() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long bytes = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                bytes += e.getValue().getUsed();
            }
        }
        synchronized (afterGc) {
            afterGc.add(new long[] {System.nanoTime(), bytes});
        }
    }

    long peakUsed() {
        return peakUsed;
    }

    /** The largest heap after a collection during the run (0 when none ran). */
    long peakAfterGc() {
        synchronized (afterGc) {
            return afterGc.stream().mapToLong(s -> s[1]).max().orElse(0);
        }
    }

    /**
     * The largest after-GC heap in each of {@code parts} equal slices of the run's time (−1 for a
     * slice without a collection): flat from the second slice on means bounded state.
     */
    long[] afterGcBySlice(int parts) {
        long end = System.nanoTime();
        long[] out = new long[parts];
        java.util.Arrays.fill(out, -1);
        double span = Math.max(1, end - started);
        synchronized (afterGc) {
            for (long[] s : afterGc) {
                int i = (int) Math.min(parts - 1, Math.floor((s[0] - started) / span * parts));
                out[i] = Math.max(out[i], s[1]);
            }
        }
        return out;
    }

    /** The heap after each of the periodic full collections, in order. */
    List<Long> liveByFullGc() {
        synchronized (liveByFullGc) {
            return new ArrayList<>(liveByFullGc);
        }
    }

    int collections() {
        synchronized (afterGc) {
            return afterGc.size();
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // never registered: nothing to remove
            }
        }
    }
}
