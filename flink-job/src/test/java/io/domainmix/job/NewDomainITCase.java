package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.SyntheticDomain;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A domain topic created while the job runs is discovered and its domain gets statistics and weights. */
class NewDomainITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void aDomainTopicCreatedAfterTheStartGetsStatisticsAndWeights() throws Exception {
        String prefix = TestKafka.unique("grow");
        String run = TestKafka.unique("grow-erma-va");
        Experiment ex = Experiment.named("linear-noise", 20);
        GroundTruth truth = ex.groundTruth(5);
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        JobRuns.produce(prefix, ex, 5, 10_000);

        List<String> args = JobRuns.options(prefix, run, "--partition-discovery-ms", "500", "--metrics-every", "500");
        args.remove("--bounded");
        JobOptions options = JobOptions.parse(args.toArray(new String[0]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DomainMixJob.buildKafka(env, options);
        JobClient job = env.executeAsync(options.jobName());
        try {
            awaitMetrics(run, m -> m.path("examplesSeen").asLong() >= 10_000);

            TestKafka.createTopics(1, prefix + ".d3");
            DomainSpec d3Spec = DomainSpec.regression("d3", 1, 5);
            SyntheticDomain d3 = new SyntheticDomain(d3Spec, truth, false, 9);
            try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
                for (int i = 0; i < 5_000; i++) {
                    Example e = d3.next();
                    TestKafka.send(producer, prefix + ".d3", null, ExampleJsonCodec.encode(e));
                }
            }
            JsonNode m = awaitMetrics(run, r -> r.path("domains").path("d3").path("n").asLong() >= 3_000);
            JsonNode d = m.path("domains").path("d3");
            System.out.println("new domain d3: " + d);
            double lambda = d.path("lossWeight").asDouble();
            double p = d.path("samplingProbability").asDouble();
            assertTrue(lambda > 0 && Double.isFinite(lambda), d.toString());
            assertTrue(p > 0 && p < 1, d.toString());
            assertTrue(Double.isFinite(d.path("lossEma").asDouble()), d.toString());
            // d3's noise (σ² = 5) lies between d1's (1) and d2's (20): so does its loss weight
            double l1 = m.path("domains").path("d1").path("lossWeight").asDouble();
            double l2 = m.path("domains").path("d2").path("lossWeight").asDouble();
            assertTrue(l2 < lambda && lambda < l1, "lambda d1 " + l1 + ", d2 " + l2 + ", d3 " + lambda);
            // ERMA's λ is inverse to the noise (L̄_k ≈ σ_k²/2 near the optimum), so d3's weight is what
            // d1's implies at d3's noise: λ1 σ1² / σ3², here λ1 / 5; the fallback weight of a domain
            // without estimates of its own, the mean of the others' (≈ λ1 / 2), is not
            double implied = l1 * ex.domains().get(0).noiseVariance() / d3Spec.noiseVariance();
            System.out.printf("new domain d3: lambda %.4f, implied by its noise %.4f (x%.3f)%n", lambda, implied,
                    lambda / implied);
            assertEquals(implied, lambda, 0.2 * implied, "lambda of d3 against lambda1 σ1²/σ3²");
        } finally {
            job.cancel().get();
        }
    }

    private static JsonNode awaitMetrics(String run, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<byte[], byte[]>> records = TestKafka.readAll(run + "-metrics");
            for (int i = records.size() - 1; i >= 0; i--) {
                JsonNode n = JobJson.tree(records.get(i).value());
                if (condition.test(n)) {
                    return n;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no metrics record of " + run + " met the condition in time");
    }
}
