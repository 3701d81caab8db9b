package io.domainmix.job.score;

import io.domainmix.core.serve.ModelSource;
import io.domainmix.core.serve.ServingModel;
import io.domainmix.core.serve.SnapshotRecord;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes on the servable snapshots of one run from the snapshot topic. Records of other runs
 * are passed over; a record that cannot be read, or a snapshot that cannot be served with the
 * chosen parameters, is logged once and counted in {@code skippedSnapshots}, and the model in
 * use stays.
 */
public final class RunSnapshotsFunction extends ProcessFunction<RawRecord, ModelSnapshot> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RunSnapshotsFunction.class);
    public static final String SKIPPED_METRIC = "skippedSnapshots";

    private final String runId;
    private final ModelSource source;
    private transient Counter skipped;

    public RunSnapshotsFunction(String runId, ModelSource source) {
        this.runId = runId;
        this.source = source;
    }

    @Override
    public void open(OpenContext openContext) {
        skipped = getRuntimeContext().getMetricGroup().counter(SKIPPED_METRIC);
    }

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<ModelSnapshot> out) {
        ModelSnapshot s;
        try {
            s = SnapshotRecord.read(r.value);
        } catch (IllegalArgumentException e) {
            skip(r, e.getMessage());
            return;
        }
        if (!runId.equals(s.runId)) {
            return;
        }
        try {
            ServingModel.of(s, source);
        } catch (IllegalArgumentException e) {
            skip(r, e.getMessage());
            return;
        }
        out.collect(s);
    }

    private void skip(RawRecord r, String reason) {
        skipped.inc();
        LOG.warn("skipped snapshot record {}-{}@{}: {}", r.topic, r.partition, r.offset, reason);
    }
}
