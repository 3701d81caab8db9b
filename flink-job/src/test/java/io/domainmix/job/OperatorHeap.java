package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.metrics.MetricRegistryTestUtils;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.rpc.TestingRpcService;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The retained heap of the job's two stateful operators, each in Flink's operator harness on the
 * heap state backend, fed K synthetic domains of d = 20 (label noise in six levels from 0.5 to
 * 20, as {@code produce synthetic --many-domains}) in arrival order, the trainer getting the
 * statistics operator's summaries as in the job, and a checkpoint taken at the end so that the
 * backend holds its copies. Sizes are the deep sizes (JOL) of what each operator keeps alive:
 *
 * <ul>
 *   <li>{@code working}: the trainer object the operator works on (model, optimizer, rings, per-domain numbers);
 *   <li>{@code backend}: the keyed state tables and timers of the heap backend;
 *   <li>{@code metrics}: what the operator's metric groups and gauges add to a task manager's
 *       metric registry with its query service running (as in every task manager).
 * </ul>
 *
 * Objects reachable from more than one of these are counted once, in the first ({@link RetainedSize}).
 */
final class OperatorHeap {
    static final int DIM = 20;
    private static final double[] NOISE_LEVELS = {0.5, 1, 2, 5, 10, 20};
    private static final String RUN = "heap";

    /** Bytes each part retains. */
    record Sizes(long working, long backend, long metrics) {
        long total() {
            return working + backend + metrics;
        }
    }

    /** Both operators after {@code perDomain} examples of each of {@code domains} domains. */
    record Measured(int domains, long examples, Sizes trainer, Sizes statistics) {}

    private OperatorHeap() {}

    /** @param options the job's options: settings, statistics and publishing intervals as the job uses them */
    static Measured measure(int domains, int perDomain, JobOptions options) throws Exception {
        TrainerSettings settings = options.trainerSettings();
        try (Registry trainerMetrics = new Registry(); Registry statisticsMetrics = new Registry();
             var trainer = new KeyedOneInputStreamOperatorTestHarness<>(
                     new KeyedProcessOperator<>(new TrainerFunction(settings, RUN, options.get(JobOptions.SNAPSHOT_EVERY),
                             options.get(JobOptions.SNAPSHOT_INTERVAL_MS), options.get(JobOptions.METRICS_EVERY))),
                     new DomainMixJob.ByRun<>(RUN), Types.STRING, trainerMetrics.environment("trainer"));
             var statistics = new KeyedOneInputStreamOperatorTestHarness<>(
                     new KeyedProcessOperator<>(new DomainStatisticsFunction(settings, options.get(JobOptions.STATS_EVERY),
                             options.get(JobOptions.STATS_INTERVAL_MS))),
                     new DomainMixJob.ByDomain(), Types.STRING, statisticsMetrics.environment("domain statistics"))) {
            // the checkpoint's bytes are dropped; only what it leaves in the backend is measured
            trainer.setCheckpointStorage(new JobManagerCheckpointStorage(Integer.MAX_VALUE));
            statistics.setCheckpointStorage(new JobManagerCheckpointStorage(Integer.MAX_VALUE));
            long trainerMetricsBefore = trainerMetrics.bytes();
            long statisticsMetricsBefore = statisticsMetrics.bytes();
            trainer.open();
            statistics.open();
            Random random = new Random(16);
            double[] theta = new double[DIM];
            for (int j = 0; j < DIM; j++) {
                theta[j] = random.nextGaussian();
            }
            long examples = 0;
            long now = 0;
            for (int round = 0; round < perDomain; round++) {
                for (int k = 0; k < domains; k++) {
                    double[] x = new double[DIM];
                    double y = 0;
                    for (int j = 0; j < DIM; j++) {
                        x[j] = random.nextGaussian();
                        y += theta[j] * x[j];
                    }
                    y += NOISE_LEVELS[k % NOISE_LEVELS.length] * random.nextGaussian();
                    ExampleBatch batch = new ExampleBatch("d" + k, new Example[] {new Example("d" + k, x, y)});
                    statistics.processElement(batch, examples);
                    trainer.processElement(TrainerInput.of(batch), examples);
                    examples++;
                    if (examples % 10_000 == 0) { // a summary interval of processing time: the summaries of domains with unsent examples
                        now += options.get(JobOptions.STATS_INTERVAL_MS);
                        statistics.setProcessingTime(now);
                        trainer.setProcessingTime(now);
                        forwardSummaries(statistics, trainer);
                        trainer.getOutput().clear();
                        trainer.getSideOutput(TrainerFunction.METRICS).clear();
                    }
                }
            }
            now += options.get(JobOptions.STATS_INTERVAL_MS);
            statistics.setProcessingTime(now);
            forwardSummaries(statistics, trainer);
            trainer.getOutput().clear();
            trainer.getSideOutput(TrainerFunction.METRICS).clear();
            trainer.snapshot(1, now);
            statistics.snapshot(1, now);
            return new Measured(domains, examples,
                    sizes(workingTrainer(trainer), backend(trainer), trainerMetrics, trainerMetricsBefore),
                    sizes(null, backend(statistics), statisticsMetrics, statisticsMetricsBefore));
        }
    }

    private static void forwardSummaries(KeyedOneInputStreamOperatorTestHarness<String, ExampleBatch, TrainerInput> statistics,
                                         KeyedOneInputStreamOperatorTestHarness<String, TrainerInput, PublishedSnapshot> trainer)
            throws Exception {
        List<TrainerInput> summaries = new ArrayList<>();
        for (Object o : statistics.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                summaries.add((TrainerInput) r.getValue());
            }
        }
        statistics.getOutput().clear();
        for (TrainerInput s : summaries) {
            trainer.processElement(s, 0);
        }
    }

    /**
     * The working object first, then the backend's tables, then what the operator's metrics added
     * to the registry (the registry's bytes now, less its bytes before the operator opened and
     * less what the first two hold). A few hundred bytes of the registry's own maps may move
     * between the two readings, so an operator without per-domain metrics can read slightly
     * below zero there.
     *
     * @param metricsBefore the registry's bytes before the operator opened (the task's own metrics)
     */
    private static Sizes sizes(Object working, Object[] backend, Registry metrics, long metricsBefore) {
        RetainedSize walk = new RetainedSize();
        long workingBytes = working == null ? 0 : walk.walk(working);
        String workingLargest = walk.largest(4);
        long backendBytes = walk.walk(backend);
        String backendLargest = walk.largest(4);
        long metricsBytes = walk.walk(metrics.roots()) - metricsBefore;
        if (Boolean.getBoolean("operator.heap.classes")) {
            System.out.println("  working: " + workingLargest + "\n  backend: " + backendLargest
                    + "\n  metrics: " + walk.largest(6));
        }
        return new Sizes(workingBytes, backendBytes, metricsBytes);
    }

    /** The trainer the operator works on (a private field: nothing else holds it). */
    private static Trainer workingTrainer(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) throws Exception {
        Field f = TrainerFunction.class.getDeclaredField("trainer");
        f.setAccessible(true);
        return (Trainer) f.get(((KeyedProcessOperator<?, ?, ?>) h.getOperator()).getUserFunction());
    }

    /** The heap backend's state tables and timer queues (not its class loader, configuration or serializers' classes). */
    private static Object[] backend(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) throws Exception {
        HeapKeyedStateBackend<?> b = (HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend();
        return new Object[] {field(b, "registeredKVStates"), field(b, "priorityQueuesManager")};
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /** A task manager's metric registry with its query service, and one task's metric group in it. */
    private static final class Registry implements AutoCloseable {
        final TestingRpcService rpc = new TestingRpcService();
        final MetricRegistryImpl registry = new MetricRegistryImpl(MetricRegistryTestUtils.defaultMetricRegistryConfiguration());
        final TaskManagerMetricGroup taskManager;

        Registry() {
            registry.startQueryService(rpc, ResourceID.generate());
            taskManager = TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate());
        }

        MockEnvironment environment(String task) {
            TaskMetricGroup group = taskManager.addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), task);
            return new MockEnvironmentBuilder().setMetricGroup(group).setMaxParallelism(128).build();
        }

        long bytes() {
            return new RetainedSize().walk(roots());
        }

        Object[] roots() {
            return new Object[] {taskManager, registry};
        }

        @Override
        public void close() throws Exception {
            registry.closeAsync().get();
            rpc.closeAsync().get();
        }
    }
}
