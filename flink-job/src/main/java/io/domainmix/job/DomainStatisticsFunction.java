package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.train.TrainerSettings;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-domain statistics operator (keyed by domain), fed batches of a domain's examples
 * ({@link ExampleBatch}). It keeps the statistics that need no model, in parallel over domains:
 * the exact count and, with FGLS, the sufficient statistics (O(d²) per example) — the domain's
 * {@link DomainStatistics}. Its output is summaries only: the trainer gets the examples straight
 * from the batching operator, in arrival order ({@link BatchByDomainOperator#IN_ARRIVAL_ORDER}).
 * The model-dependent scores (loss for ERMA, ‖∇ℓ‖² for VA) are the trainer's, which sees every
 * arrival in order before training on it.
 *
 * <p>A domain's summary ({@link io.domainmix.core.stats.DomainStats}) goes to the trainer every
 * {@code statsEvery} of its examples, {@code statsIntervalMs} after its first unsent example, and
 * once more when the input ends (an event-time timer at the end of time, which only the end of a
 * bounded input reaches).
 */
public final class DomainStatisticsFunction extends KeyedProcessFunction<String, ExampleBatch, TrainerInput> {
    private static final long serialVersionUID = 1L;

    public static final ValueStateDescriptor<DomainStatistics> STATISTICS_STATE =
            new ValueStateDescriptor<>("statistics", TypeInformation.of(DomainStatistics.class));
    static final ValueStateDescriptor<Long> SENT_COUNT_STATE = new ValueStateDescriptor<>("sent-count", Long.class);
    static final ValueStateDescriptor<Long> TIMER_STATE = new ValueStateDescriptor<>("summary-timer", Long.class);
    public static final String NON_FINITE_METRIC = "nonFiniteExamples";

    private final TrainerSettings settings;
    private final long statsEvery;
    private final long statsIntervalMs;

    private transient ValueState<DomainStatistics> statistics;
    private transient ValueState<Long> sentCount;
    private transient ValueState<Long> timer;
    private transient Counter nonFinite;

    public DomainStatisticsFunction(TrainerSettings settings, long statsEvery, long statsIntervalMs) {
        settings.validate();
        this.settings = settings;
        this.statsEvery = statsEvery;
        this.statsIntervalMs = statsIntervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        statistics = getRuntimeContext().getState(STATISTICS_STATE);
        sentCount = getRuntimeContext().getState(SENT_COUNT_STATE);
        timer = getRuntimeContext().getState(TIMER_STATE);
        nonFinite = getRuntimeContext().getMetricGroup().counter(NON_FINITE_METRIC);
    }

    @Override
    public void processElement(ExampleBatch batch, Context ctx, Collector<TrainerInput> out) throws Exception {
        DomainStatistics s = statistics.value();
        if (s == null) {
            s = DomainStatistics.create(settings.model.dimension(), settings.model.intercept(), settings.fglsEnabled());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        for (Example e : batch.examples) {
            if (!s.observe(e)) {
                nonFinite.inc(); // kept out of the statistics; the batching operator keeps it from the trainer
            }
        }
        statistics.update(s);
        Long sent = sentCount.value();
        if (s.count - (sent == null ? 0 : sent) >= statsEvery) {
            sendSummary(ctx.getCurrentKey(), s, out);
        } else if (statsIntervalMs > 0 && timer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + statsIntervalMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainerInput> out) throws Exception {
        DomainStatistics s = statistics.value();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            timer.clear();
        }
        if (s == null) {
            return;
        }
        Long sent = sentCount.value();
        boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        if (endOfInput || s.count > (sent == null ? 0 : sent)) {
            sendSummary(ctx.getCurrentKey(), s, out);
        }
    }

    private void sendSummary(String domain, DomainStatistics s, Collector<TrainerInput> out) throws Exception {
        out.collect(TrainerInput.of(s.summary(domain)));
        sentCount.update(s.count);
    }
}
