package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.synth.Experiment;
import io.domainmix.core.train.ModelSnapshot;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A loss-weight policy registered only in the test sources ({@link FavouredDomainLossWeights})
 * runs in the job through the registry, with its own options, on a MiniCluster against a real
 * broker.
 */
class PolicyPluginITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void aPolicyFromTheTestSourcesWeightsTheJobsObjective() throws Exception {
        String prefix = TestKafka.unique("plugin");
        String run = TestKafka.unique("plugin-favoured");
        TestKafka.createTopics(1, prefix + ".d1", prefix + ".d2");
        JobRuns.produce(prefix, Experiment.named("linear-noise", 20), 3, 6_000);
        TrainingITCase.runBounded(JobRuns.options(prefix, run, "--loss-weights", "favoured", "--favoured-domain", "d2",
                "--favoured-factor", "4", "--sampling", "proportional"));

        ModelSnapshot last = JobRuns.finalSnapshot(run);
        double l1 = JobRuns.lossWeight(last, "d1");
        double l2 = JobRuns.lossWeight(last, "d2");
        System.out.printf("plugged-in favoured: λ d1 %.6f, d2 %.6f%n", l1, l2);
        assertEquals(4.0, l2 / l1, 1e-9, "the policy's own option reached the trainer");
        double z = 0;
        for (int k = 0; k < last.domains.length; k++) {
            z += last.share[k] * last.lossWeight[k];
        }
        assertEquals(1.0, z, 1e-9, "the shared steps still normalise Σ π λ = 1");
        assertTrue(last.step > 5_000, "the job trained: " + last.step + " steps");
    }
}
