package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.ModelSnapshot;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failure mid-stream: the job restarts from its checkpoint and counts every example exactly once. */
class RecoveryITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void restartsFromItsCheckpointWithExactCountsAndTheSameQuality() throws Exception {
        long total = 200_000;
        String prefix = TestKafka.unique("recovery");
        Experiment ex = Experiment.named("linear-noise", 20);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        Map<String, Long> produced = JobRuns.produce(prefix, ex, TrainingITCase.SEED, total);
        String run = TestKafka.unique("recovery-erma-va");
        JobOptions options = JobOptions.parse(JobRuns.options(prefix, run, "--loss-weights", "erma", "--sampling", "va",
                "--checkpoint-interval-ms", "500").toArray(new String[0]));

        FailOnceAfterCheckpoint.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FailOnceAfterCheckpoint.restartTwice(env);
        DomainMixJob.createOutputTopics(options);
        DomainMixJob.configure(env, options);
        DataStream<RawRecord> records = DomainMixJob.kafkaRecords(env, options)
                .map(new FailOnceAfterCheckpoint(40_000, 2000, 20)).name("fail once");
        DomainMixJob.build(options, records, DomainMixJob.kafkaFeedback(env, options), DomainMixJob.kafkaSinks(options));
        env.execute(options.jobName());

        assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
        JsonNode metrics = JobRuns.finalMetrics(run);
        for (var d : produced.entrySet()) {
            JsonNode m = metrics.path("domains").path(d.getKey());
            assertEquals(d.getValue().longValue(), m.path("n").asLong(), "statistics count of " + d.getKey());
            assertEquals(d.getValue().longValue(), m.path("arrivals").asLong(), "trainer arrivals of " + d.getKey());
        }
        ModelSnapshot last = JobRuns.finalSnapshot(run);
        assertEquals(total, last.examplesSeen);
        double error = JobRuns.distance(last.averagedTheta, ex.groundTruth(TrainingITCase.SEED).theta);
        double reference = JobRuns.simulatorError("linear-noise", "erma+va", total, 4);
        double ratio = JobRuns.lossWeight(last, "d1") / JobRuns.lossWeight(last, "d2");
        System.out.printf("recovery erma+va: job error %.5f, simulator mean error %.5f (x%.3f), lambda1/lambda2 %.2f, "
                + "checkpoints completed %d%n", error, reference, error / reference, ratio, FailOnceAfterCheckpoint.COMPLETED_CHECKPOINTS.get());
        assertTrue(error <= 1.3 * reference, "job error " + error + " vs simulator " + reference);
        assertTrue(Math.abs(ratio - 20) <= 0.2 * 20, "lambda1/lambda2 = " + ratio);
    }
}
