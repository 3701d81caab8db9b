package io.domainmix.job.score;

import io.domainmix.core.serve.ModelSource;
import io.domainmix.core.serve.ServingModel;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.job.DeadLetter;
import io.domainmix.job.RawRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores requests with the newest snapshot of the run, which arrives on the broadcast side and
 * is kept in broadcast state (so that a restored job scores with the model it had). A newer
 * version replaces the served model in one assignment, between two requests: every prediction
 * comes from exactly one version, the one written on it. Versions only go up.
 *
 * <p>Before the first snapshot, requests are held in checkpointed operator state, at most
 * {@code maxHeld} of them, and scored when it arrives ({@link StartupPolicy#WAIT}); past the
 * bound, or with {@link StartupPolicy#REJECT}, they go to the dead-letter topic with reason
 * {@code NO_MODEL}. A request whose dimension is not the model's gets {@code WRONG_DIMENSION}.
 */
public final class ScoringFunction extends BroadcastProcessFunction<ScoreRequest, ModelSnapshot, Prediction>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, ModelSnapshot> MODEL_STATE = new MapStateDescriptor<>(
            "served-snapshot", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(ModelSnapshot.class));
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("unscored-requests") {};
    private static final String NEWEST = "newest";

    public static final String PREDICTIONS_METRIC = "predictions";
    public static final String PREDICTION_RATE_METRIC = "predictionsPerSecond";
    public static final String LATENCY_METRIC = "scoringLatencyMs";
    public static final String VERSION_METRIC = "snapshotVersion";
    public static final String HELD_METRIC = "heldRequests";
    public static final String UNSCORED_METRIC = "unscoredRequests";
    public static final String SWAPS_METRIC = "modelSwaps";
    /** Latency samples kept for the quantiles: a bounded window of the newest. */
    private static final int LATENCY_WINDOW = 10_000;

    private final String runId;
    private final ModelSource source;
    private final StartupPolicy startup;
    private final int maxHeld;

    private transient ServingModel model;
    private transient List<ScoreRequest> held;
    private transient ListState<ScoreRequest> heldState;
    private transient Counter predictions;
    private transient Counter unscored;
    private transient Counter swaps;
    private transient Histogram latency;

    public ScoringFunction(String runId, ModelSource source, StartupPolicy startup, int maxHeld) {
        this.runId = runId;
        this.source = source;
        this.startup = startup;
        this.maxHeld = maxHeld;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        predictions = metrics.counter(PREDICTIONS_METRIC);
        metrics.meter(PREDICTION_RATE_METRIC, new MeterView(predictions));
        unscored = metrics.counter(UNSCORED_METRIC);
        swaps = metrics.counter(SWAPS_METRIC);
        latency = metrics.histogram(LATENCY_METRIC, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        metrics.gauge(VERSION_METRIC, (Gauge<Long>) () -> {
            ServingModel m = model;
            return m == null ? -1L : m.version();
        });
        metrics.gauge(HELD_METRIC, (Gauge<Integer>) () -> held == null ? 0 : held.size());
    }

    @Override
    public void processElement(ScoreRequest q, ReadOnlyContext ctx, Collector<Prediction> out) throws Exception {
        if (model == null) {
            // after a restore the model is in broadcast state only
            ModelSnapshot restored = ctx.getBroadcastState(MODEL_STATE).get(NEWEST);
            if (restored != null) {
                model = ServingModel.of(restored, source);
            }
        }
        if (model == null) {
            if (startup == StartupPolicy.WAIT && held.size() < maxHeld) {
                held.add(q);
            } else {
                ctx.output(REJECTED, refuse(q, "NO_MODEL", startup == StartupPolicy.WAIT
                        ? "no snapshot of run " + runId + " yet and " + maxHeld + " requests already held"
                        : "no snapshot of run " + runId + " yet"));
            }
            return;
        }
        if (!held.isEmpty()) {
            releaseHeld(out, d -> ctx.output(REJECTED, d));
        }
        DeadLetter refused = score(q, out);
        if (refused != null) {
            ctx.output(REJECTED, refused);
        }
    }

    @Override
    public void processBroadcastElement(ModelSnapshot s, Context ctx, Collector<Prediction> out) throws Exception {
        BroadcastState<String, ModelSnapshot> state = ctx.getBroadcastState(MODEL_STATE);
        ModelSnapshot current = state.get(NEWEST);
        if (current != null && current.version >= s.version) {
            return;
        }
        ServingModel next = ServingModel.of(s, source);
        state.put(NEWEST, s);
        model = next;
        swaps.inc();
        if (!held.isEmpty()) {
            releaseHeld(out, d -> ctx.output(REJECTED, d));
        }
    }

    private void releaseHeld(Collector<Prediction> out, Consumer<DeadLetter> rejected) {
        for (ScoreRequest q : held) {
            DeadLetter refused = score(q, out);
            if (refused != null) {
                rejected.accept(refused);
            }
        }
        held.clear();
    }

    /** Scores {@code q} with the model in use; returns the dead letter when it cannot be scored. */
    private DeadLetter score(ScoreRequest q, Collector<Prediction> out) {
        ServingModel m = model;
        if (q.x.length != m.spec().dimension()) {
            return refuse(q, "WRONG_DIMENSION", "x has " + q.x.length + " values; version " + m.version() + " of run "
                    + runId + " expects " + m.spec().dimension());
        }
        Prediction p = new Prediction();
        p.id = q.id;
        p.prediction = m.predict(q.x);
        p.runId = runId;
        p.version = m.version();
        p.modelSource = source.optionName();
        p.label = q.y;
        p.topic = q.topic;
        p.partition = q.partition;
        p.offset = q.offset;
        p.requestTimestamp = q.timestamp;
        predictions.inc();
        latency.update(Math.max(0, System.currentTimeMillis() - q.timestamp));
        out.collect(p);
        return null;
    }

    private DeadLetter refuse(ScoreRequest q, String reason, String detail) {
        unscored.inc();
        RawRecord r = new RawRecord(q.topic, q.partition, q.offset, q.key, q.value, q.timestamp);
        return DeadLetter.of(r, reason, detail, runId);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        heldState.update(held);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        heldState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("held-requests", TypeInformation.of(ScoreRequest.class)));
        held = new ArrayList<>();
        for (ScoreRequest q : heldState.get()) {
            held.add(q);
        }
    }
}
