package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.core.train.DomainBuffer;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.train.TrainerState;
import io.domainmix.core.health.HealthEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer of one run (keyed by run id, so one instance per run): a thin shell around the core
 * {@link Trainer}, whose whole state — model, optimizer, averaging windows, buffers, random
 * generator, weights — is a {@link TrainerState}.
 *
 * <p>Examples arrive in batches of one domain ({@link ExampleBatch}) and are buffered and trained
 * on one by one ({@link Trainer#onExample}: each is scored, under a θ̄ copy at most
 * {@code --max-staleness-steps} old, before it is trained on); statistics summaries
 * recompute λ and p ({@link Trainer#onDomainStats}). Every {@code snapshotEvery} steps (but not
 * more often than every {@code snapshotIntervalMs}) a versioned snapshot is emitted (main output), every {@code metricsEvery} steps a
 * {@link MetricsRecord} ({@link #METRICS}). When a bounded input ends (an event-time timer at
 * the end of time) a final snapshot marked {@code last} and a final metrics record are emitted.
 *
 * <p>State layout (issue 16): the trainer works on its state in memory and writes it to Flink's
 * keyed state only when a checkpoint is taken ({@link #snapshotState}): the small part (model,
 * optimizer, and per domain the few numbers of its
 * {@link io.domainmix.core.train.DomainTrainerState}) as one value, and each domain's ring of
 * examples ({@link DomainBuffer}) under its own key in a map state — only the rings that changed since
 * the last checkpoint. So an element costs no state access on any backend, and with RocksDB or
 * ForSt (incremental checkpoints) a checkpoint costs what changed; the heap backend gets fresh
 * copies, never objects the trainer goes on mutating. A restored trainer is rebuilt from both on
 * its first element, so it draws exactly the numbers it would have drawn. The run id is the only
 * key, so after the first element it is the backend's current key when a checkpoint is taken.
 */
public final class TrainerFunction extends KeyedProcessFunction<String, TrainerInput, PublishedSnapshot>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<MetricsRecord> METRICS = new OutputTag<>("metrics") {};
    public static final ValueStateDescriptor<TrainerState> TRAINER_STATE =
            new ValueStateDescriptor<>("trainer", TypeInformation.of(TrainerState.class));
    public static final MapStateDescriptor<String, DomainBuffer> BUFFER_STATE =
            new MapStateDescriptor<>("buffers", Types.STRING, TypeInformation.of(DomainBuffer.class));
    public static final ValueStateDescriptor<TrainerProgress> PROGRESS_STATE =
            new ValueStateDescriptor<>("progress", TypeInformation.of(TrainerProgress.class));
    public static final String STEPS_METRIC = "trainingSteps";
    public static final String SKIPPED_METRIC = "skippedUpdates";
    /** Domain health events reported since the run started. */
    public static final String HEALTH_EVENTS_METRIC = "healthEvents";
    private static final Logger LOG = LoggerFactory.getLogger(TrainerFunction.class);

    private final TrainerSettings settings;
    private final String runId;
    private final long snapshotEvery;
    private final long snapshotIntervalMs;
    private final long metricsEvery;

    private transient ValueState<TrainerState> trainerState;
    private transient ValueState<TrainerProgress> progressState;
    private transient MapState<String, DomainBuffer> bufferState;
    private transient TypeSerializer<TrainerState> stateSerializer;
    private transient TypeSerializer<DomainBuffer> bufferSerializer;
    private transient TypeSerializer<TrainerProgress> progressSerializer;
    /** The working trainer and bookkeeping; null until the first element (or timer) after a start or restore. */
    private transient volatile Trainer trainer;
    private transient TrainerProgress progress;
    private transient volatile int buffersWrittenAtLastCheckpoint;
    private transient Counter steps;
    private transient Counter skipped;
    private transient MetricGroup metrics;
    private transient Set<String> domainsWithGauges;

    public TrainerFunction(TrainerSettings settings, String runId, long snapshotEvery, long metricsEvery) {
        this(settings, runId, snapshotEvery, 0, metricsEvery);
    }

    /**
     * @param snapshotIntervalMs least processing time between two snapshots (0: none): a due
     *     snapshot waits for the first step after it has passed
     */
    public TrainerFunction(TrainerSettings settings, String runId, long snapshotEvery, long snapshotIntervalMs,
                           long metricsEvery) {
        settings.validate();
        this.settings = settings;
        this.runId = runId;
        this.snapshotEvery = snapshotEvery;
        this.snapshotIntervalMs = snapshotIntervalMs;
        this.metricsEvery = metricsEvery;
    }

    @Override
    public void open(OpenContext openContext) {
        trainerState = getRuntimeContext().getState(TRAINER_STATE);
        progressState = getRuntimeContext().getState(PROGRESS_STATE);
        bufferState = getRuntimeContext().getMapState(BUFFER_STATE);
        SerializerConfigImpl config = new SerializerConfigImpl();
        stateSerializer = TypeInformation.of(TrainerState.class).createSerializer(config);
        bufferSerializer = TypeInformation.of(DomainBuffer.class).createSerializer(config);
        progressSerializer = TypeInformation.of(TrainerProgress.class).createSerializer(config);
        metrics = getRuntimeContext().getMetricGroup();
        steps = metrics.counter(STEPS_METRIC);
        skipped = metrics.counter(SKIPPED_METRIC);
        metrics.gauge("step", (Gauge<Long>) () -> trainer == null ? 0L : trainer.step());
        metrics.gauge("staleness", (Gauge<Long>) () -> trainer == null ? 0L : trainer.currentStaleness());
        metrics.gauge("buffersCheckpointed", (Gauge<Integer>) () -> buffersWrittenAtLastCheckpoint);
        metrics.gauge(HEALTH_EVENTS_METRIC, (Gauge<Long>) () -> trainer == null ? 0L : trainer.healthEventCount());
        domainsWithGauges = new HashSet<>();
    }

    @Override
    public void processElement(TrainerInput in, Context ctx, Collector<PublishedSnapshot> out) throws Exception {
        Trainer t = trainer;
        if (t == null) {
            t = restore();
            if (t == null) {
                t = new Trainer(settings, Trainer.newState(settings));
                progress = new TrainerProgress();
                trainer = t;
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
        }
        long skippedBefore = t.skippedUpdates();
        long now = ctx.timerService().currentProcessingTime();
        if (in.examples != null) {
            for (Example e : in.examples.examples) {
                steps.inc(t.onExample(e));
                publishDue(t, progress, now, ctx, out); // after every example: snapshots at exact step multiples
            }
        } else if (in.stats != null) {
            t.onDomainStats(in.stats);
            publishDue(t, progress, now, ctx, out);
        }
        skipped.inc(t.skippedUpdates() - skippedBefore);
        publishHealthEvents(t, now, ctx);
        registerGauges(t);
    }

    /** The element's domain health events: one log line each, and a metrics record that carries them, at once. */
    private void publishHealthEvents(Trainer t, long now, Context ctx) {
        List<HealthEvent> events = t.drainHealthEvents();
        if (events.isEmpty()) {
            return;
        }
        for (HealthEvent e : events) {
            LOG.warn("run {}: {}", runId, e.message);
        }
        MetricsRecord m = metricsRecord(t, now, false);
        m.healthEvents = events.toArray(new HealthEvent[0]);
        ctx.output(METRICS, m);
    }

    /** The trainer as the last checkpoint left it (null when there is none), rebuilt from a copy of the state. */
    private Trainer restore() throws Exception {
        TrainerState stored = trainerState.value();
        if (stored == null) {
            return null;
        }
        TrainerState st = stateSerializer.copy(stored);
        for (int k = 0; k < st.domains.length; k++) {
            DomainBuffer b = bufferState.get(st.domains[k]);
            if (b == null) {
                throw new IllegalStateException("the checkpoint has no example ring for domain " + st.domains[k]
                        + "; it was taken by a version that kept the rings inside the trainer's value state: "
                        + "start the run again without restoring it (or under a new --run-id)");
            }
            st.domainStates[k].ring = bufferSerializer.copy(b);
        }
        TrainerProgress p = progressState.value();
        progress = p == null ? new TrainerProgress() : progressSerializer.copy(p);
        Trainer t = new Trainer(settings, st);
        trainer = t;
        return t;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // keyed state only, obtained in open(); the trainer is rebuilt from it on its first element
    }

    /**
     * Writes the trainer to keyed state as a checkpoint is taken: the small part, the rings that
     * changed since the last checkpoint, and the bookkeeping, each as a copy.
     */
    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        Trainer t = trainer;
        if (t == null) {
            buffersWrittenAtLastCheckpoint = 0;
            return; // nothing has changed since the start or the restore
        }
        TrainerState st = t.state();
        trainerState.update(stateSerializer.copy(st)); // without the rings: they are transient in the value
        int[] changed = t.drainChangedBuffers();
        for (int k : changed) {
            bufferState.put(st.domains[k], bufferSerializer.copy(st.domainStates[k].ring));
        }
        buffersWrittenAtLastCheckpoint = changed.length;
        progressState.update(progressSerializer.copy(progress));
    }

    /** How many example rings the last checkpoint wrote (the others were unchanged). */
    int buffersWrittenAtLastCheckpoint() {
        return buffersWrittenAtLastCheckpoint;
    }

    /**
     * A snapshot every {@code snapshotEvery} steps (and no sooner than {@code snapshotIntervalMs}
     * after the last one), a metrics record every {@code metricsEvery} steps.
     */
    private void publishDue(Trainer t, TrainerProgress progress, long now, Context ctx, Collector<PublishedSnapshot> out) {
        if (t.step() / snapshotEvery > progress.snapshotStep / snapshotEvery
                && now - progress.snapshotMs >= snapshotIntervalMs) {
            progress.snapshotStep = t.step();
            progress.snapshotMs = now;
            out.collect(new PublishedSnapshot(t.snapshot(runId, ++progress.version, now), false));
        }
        if (t.step() / metricsEvery > progress.metricsStep / metricsEvery) {
            progress.metricsStep = t.step();
            ctx.output(METRICS, metricsRecord(t, now, false));
        }
    }

    /** End of a bounded input: the final snapshot and metrics. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PublishedSnapshot> out) throws Exception {
        Trainer t = trainer != null ? trainer : restore();
        if (t == null) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        t.finishInput(); // the input's last summaries may come after its last arrival
        progress.snapshotStep = t.step();
        progress.metricsStep = t.step();
        ModelSnapshot last = t.snapshot(runId, ++progress.version, now);
        ctx.output(METRICS, metricsRecord(t, now, true));
        out.collect(new PublishedSnapshot(last, true));
    }

    private MetricsRecord metricsRecord(Trainer t, long now, boolean last) {
        MetricsRecord m = new MetricsRecord();
        m.runId = runId;
        m.step = t.step();
        m.examplesSeen = t.arrivals();
        m.timestamp = now;
        m.last = last;
        m.domains = t.domains().clone();
        m.arrivals = t.arrivalCounts();
        m.statsCount = t.statsCounts();
        m.share = t.shares().clone();
        m.recentShare = t.recentShares();
        m.longRunShare = t.longRunShares();
        m.nonFinite = t.nonFiniteCounts();
        m.loss = t.lossEstimates();
        m.gradientSecondMoment = t.gradientSecondMoments();
        m.lossWeight = t.lossWeights().clone();
        m.samplingProbability = t.samplingProbabilities().clone();
        m.slots = new long[m.domains.length];
        for (int k = 0; k < m.slots.length; k++) {
            m.slots[k] = t.state().domainStates[k].drawCount;
        }
        m.noiseMeasured = t.windowGradientNoise();
        m.noiseMeasuredEma = t.measuredGradientNoise();
        m.noisePredicted = t.predictedGradientNoise();
        m.noiseProportional = t.predictedProportionalNoise();
        m.noiseVarianceAware = t.predictedVarianceAwareNoise();
        m.trainingLoss = t.trainingLoss();
        m.stepSize = t.stepSize();
        m.skippedUpdates = t.skippedUpdates();
        m.stalenessP50 = t.stalenessQuantile(0.5);
        m.stalenessP95 = t.stalenessQuantile(0.95);
        m.stalenessMax = t.stalenessMax();
        m.fractionUsed = t.fractionOfExamplesUsed();
        m.meanUses = t.meanUsesOfUsedExamples();
        t.resetNoiseWindow();
        t.resetStalenessWindow();
        return m;
    }

    /**
     * One group of gauges per domain, registered once. A domain keeps its index in the trainer for
     * the whole run (domains are only appended, and a restore keeps their order), so a gauge reads
     * its one element by that index: a scrape of K domains costs O(K), not a scan of the domain
     * list and a copy of a K-array per gauge.
     */
    private void registerGauges(Trainer t) {
        String[] domains = t.domains();
        if (domains.length == domainsWithGauges.size()) {
            return;
        }
        for (int i = 0; i < domains.length; i++) {
            String d = domains[i];
            if (domainsWithGauges.add(d)) {
                int k = i;
                MetricGroup g = metrics.addGroup("domain", d);
                g.gauge("lossWeight", perDomain(k, tr -> tr.lossWeights()[k]));
                g.gauge("samplingProbability", perDomain(k, tr -> tr.samplingProbabilities()[k]));
                g.gauge("share", perDomain(k, tr -> tr.shares()[k]));
                g.gauge("recentShare", perDomain(k, tr -> tr.recentShare(k)));
                g.gauge("loss", perDomain(k, tr -> tr.lossEstimate(k)));
                g.gauge("examples", (Gauge<Long>) () -> {
                    Trainer tr = trainer;
                    return tr == null || k >= tr.domains().length ? 0L : tr.arrivalCount(k);
                });
            }
        }
    }

    private Gauge<Double> perDomain(int k, java.util.function.ToDoubleFunction<Trainer> value) {
        return () -> {
            Trainer tr = trainer;
            return tr == null || k >= tr.domains().length ? Double.NaN : value.applyAsDouble(tr);
        };
    }
}
