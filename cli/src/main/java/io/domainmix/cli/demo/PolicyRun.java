package io.domainmix.cli.demo;

import io.domainmix.cli.report.MetricsPoint;
import io.domainmix.cli.report.PolicyRunIds;
import io.domainmix.core.sim.PolicySpec;

/** One cell of the policy grid as a training run: its names, its state, and its newest metrics. */
public final class PolicyRun {
    /** Where a run is. */
    public enum State { WAITING, RUNNING, DONE, FAILED }

    private final PolicySpec policy;
    private final String runId;
    private volatile State state = State.WAITING;
    private volatile MetricsPoint latest;
    private volatile String failure;
    private volatile long startedNanos;
    private volatile long endedNanos;

    PolicyRun(String prefix, PolicySpec policy) {
        this.policy = policy;
        this.runId = PolicyRunIds.runId(prefix, policy);
    }

    public PolicySpec policy() {
        return policy;
    }

    public String runId() {
        return runId;
    }

    public String snapshotTopic() {
        return runId + ".snapshots";
    }

    public String metricsTopic() {
        return runId + ".metrics";
    }

    public String deadLetterTopic() {
        return runId + ".dead-letters";
    }

    public State state() {
        return state;
    }

    public MetricsPoint latest() {
        return latest;
    }

    public String failure() {
        return failure;
    }

    /** Seconds since the run started (until it ended), 0 before. */
    public double seconds() {
        long start = startedNanos;
        if (start == 0) {
            return 0;
        }
        long end = endedNanos != 0 ? endedNanos : System.nanoTime();
        return (end - start) / 1e9;
    }

    void started() {
        startedNanos = System.nanoTime();
        state = State.RUNNING;
    }

    void finished() {
        endedNanos = System.nanoTime();
        state = State.DONE;
    }

    void failed(String why) {
        endedNanos = System.nanoTime();
        failure = why;
        state = State.FAILED;
    }

    /** Keeps the newest record by step (a topic re-read after a restart may repeat older ones). */
    void offer(MetricsPoint m) {
        MetricsPoint current = latest;
        if (current == null || m.step >= current.step) {
            latest = m;
        }
    }
}
