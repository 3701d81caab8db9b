package io.domainmix.cli.report;

import io.domainmix.core.train.ModelSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything read for one training run: its snapshots by version and its metrics by step. A
 * record seen twice (an at-least-once sink re-emits after a restart) is kept once.
 */
public final class RunRecords {
    private final String runId;
    private final Map<Long, ModelSnapshot> snapshots = new TreeMap<>();
    private final Map<Long, MetricsPoint> metrics = new TreeMap<>();

    public RunRecords(String runId) {
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }

    /**
     * The label shown for the run: the policy when the run id ends in one as the demo names them
     * ({@code <name>.<loss>_<sampling>} or {@code <name>.conflated-<sampling>}; run ids cannot
     * hold '+'), else the run id itself.
     */
    public String label() {
        return PolicyRunIds.label(runId);
    }

    void add(ModelSnapshot s) {
        snapshots.put(s.version, s);
    }

    void add(MetricsPoint m) {
        metrics.put(m.step, m);
    }

    /** Snapshots in order of examples seen. */
    public List<ModelSnapshot> snapshots() {
        List<ModelSnapshot> out = new ArrayList<>(snapshots.values());
        out.sort(Comparator.comparingLong((ModelSnapshot s) -> s.examplesSeen).thenComparingLong(s -> s.version));
        return out;
    }

    /** Metrics in order of steps. */
    public List<MetricsPoint> metrics() {
        return new ArrayList<>(metrics.values());
    }

    public ModelSnapshot lastSnapshot() {
        List<ModelSnapshot> s = snapshots();
        return s.isEmpty() ? null : s.get(s.size() - 1);
    }

    public MetricsPoint lastMetrics() {
        List<MetricsPoint> m = metrics();
        return m.isEmpty() ? null : m.get(m.size() - 1);
    }
}
