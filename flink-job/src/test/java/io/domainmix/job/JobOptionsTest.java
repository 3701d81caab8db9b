package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.model.ModelType;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

    /** The options document: generated from the declarations; regenerate with -Ddomainmix.writeOptionsDoc=true. */
    static String optionsDocument() {
        return "# Options of the training job\n\n"
                + "Generated from `JobOptions` (a test checks that this file matches). "
                + "Give each as `--name value`; booleans may be given bare (`--bounded`).\n\n"
                + JobOptions.markdownTable();
    }

    @Test
    void optionsDocumentMatchesTheDeclarations() throws Exception {
        Path doc = Path.of("OPTIONS.md");
        if (Boolean.getBoolean("domainmix.writeOptionsDoc")) {
            Files.writeString(doc, optionsDocument(), StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(doc), "flink-job/OPTIONS.md is missing; run this test with -Ddomainmix.writeOptionsDoc=true");
        assertEquals(optionsDocument(), Files.readString(doc, StandardCharsets.UTF_8),
                "flink-job/OPTIONS.md is stale; run this test with -Ddomainmix.writeOptionsDoc=true");
    }

    @Test
    void readmeTableMatchesWhenTheReadmeHasOne() throws Exception {
        Path readme = Path.of("..", "README.md");
        if (!Files.exists(readme)) {
            return;
        }
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        if (text.contains("| `--bootstrap-servers`")) {
            assertTrue(text.contains(JobOptions.markdownTable()), "README.md's options table differs from JobOptions");
        }
    }

    @Test
    void everyOptionIsDocumentedOnce() {
        String table = JobOptions.markdownTable();
        for (Option<?> o : JobOptions.documented()) {
            assertEquals(1, table.split("\\| `--" + java.util.regex.Pattern.quote(o.name()) + "` \\|", -1).length - 1, o.name());
            assertFalse(o.description().isBlank(), o.name());
        }
        assertEquals(JobOptions.ALL.size(), JobOptions.ALL.stream().map(Option::name).distinct().count());
    }

    @Test
    void defaultsAreTheSimulatorConventions() {
        JobOptions o = JobOptions.defaults();
        TrainerSettings t = o.trainerSettings();
        TrainerSettings core = new TrainerSettings();
        assertEquals(core.batchSize, t.batchSize);
        assertEquals(core.slotDraws, t.slotDraws);
        assertEquals(core.ermaReference, t.ermaReference);
        assertEquals(core.bufferCapacity, t.bufferCapacity);
        assertEquals(core.stepSizeFactor, t.stepSizeFactor);
        assertEquals(core.shareHalfLife, t.shareHalfLife);
        assertEquals(core.fglsInterval, t.fglsInterval);
        assertEquals(core.emaBeta, t.emaBeta);
        assertTrue(Double.isNaN(t.stepSize));
        assertEquals(1000L, o.get(JobOptions.STATS_EVERY));
        assertEquals(1000L, o.get(JobOptions.SNAPSHOT_EVERY));
        assertEquals(LossWeightPolicy.ERMA, t.weights.lossPolicy);
        assertEquals(SamplingPolicy.VA, t.weights.samplingPolicy);
        assertEquals("domainmix-domainmix", o.groupId());
        assertTrue(o.topicPattern().matcher("domainmix.wiki").matches());
        assertFalse(o.topicPattern().matcher("domainmix-snapshots").matches());
        assertFalse(o.topicPattern().matcher("domainmixXwiki").matches());
    }

    @Test
    void parsesEveryForm() {
        JobOptions o = JobOptions.parse("--model", "logistic", "--dim=5", "--bounded", "--loss-weights", "erma",
                "--sampling", "uniform", "--importance", "conflated", "--kafka-property", "security.protocol=SSL",
                "--kafka-property", "a=b=c", "--topics", "t1, t2", "--step-size", "0.01", "--step-decay", "1000",
                "--static-sampling-weights", "d1=2,d2=0.5", "--intercept", "false", "--run-id", "r-1");
        assertEquals(ModelType.LOGISTIC, o.get(JobOptions.MODEL));
        assertEquals(5, o.get(JobOptions.DIM));
        assertTrue(o.get(JobOptions.BOUNDED));
        assertFalse(o.get(JobOptions.INTERCEPT));
        assertEquals(List.of("t1", "t2"), o.get(JobOptions.TOPICS));
        assertEquals("SSL", o.kafkaProperties().getProperty("security.protocol"));
        assertEquals("b=c", o.kafkaProperties().getProperty("a"));
        assertEquals(Map.of("d1", 2.0, "d2", 0.5), o.get(io.domainmix.core.weights.rules.StaticSampling.WEIGHTS));
        TrainerSettings t = o.trainerSettings();
        assertEquals(0.01, t.stepSize);
        assertEquals(1000, t.stepDecay);
        assertEquals(ImportanceMode.CONFLATED, t.weights.mode);
        assertEquals("domainmix r-1", o.jobName());
        // the arguments reproduce the options
        JobOptions again = JobOptions.parse(o.toArgs().toArray(new String[0]));
        assertEquals(o.toArgs(), again.toArgs());
    }

    /** A policy registered in the test sources parses with its own options, but the documentation lists only what ships. */
    @Test
    void aPluggedInPolicyTakesItsOptionsAndStaysOutOfTheDocumentation() {
        JobOptions o = JobOptions.parse("--loss-weights", "favoured", "--favoured-domain", "d2", "--favoured-factor", "3");
        assertEquals("favoured", o.get(JobOptions.LOSS_WEIGHTS).optionName());
        assertEquals(3.0, o.trainerSettings().weights.get(FavouredDomainLossWeights.FACTOR));
        assertEquals(List.of("--loss-weights", "favoured", "--favoured-domain", "d2", "--favoured-factor", "3.0"),
                o.toArgs());
        assertFalse(JobOptions.markdownTable().contains("favoured"));
        assertTrue(JobOptions.markdownTable().contains("| `--static-loss-weights` |"));
        assertTrue(JobOptions.LOSS_WEIGHTS.type().startsWith("uniform|static|fgls|erma"), JobOptions.LOSS_WEIGHTS.type());
        assertError("--favoured-factor '0.5': allowed: a number in [1.0, 1000000.0]", "--favoured-factor", "0.5");
        assertError("the favoured loss-weight policy needs --favoured-domain", "--loss-weights", "favoured");
    }

    @Test
    void wrongValuesNameTheOptionAndWhatItAllows() {
        assertError("--sampling' 'often': unknown sampling policy 'often'; allowed: proportional, uniform, static, va",
                "--sampling", "often");
        assertError("allowed: linear, logistic, mlp", "--model", "tree");
        assertError("--start-offsets 'middle': allowed: earliest, latest, committed", "--start-offsets", "middle");
        assertError("--loss-weights", "--loss-weights", "heavy");
        assertError("--importance 'x': unknown importance mode 'x'; allowed: corrected, conflated", "--importance", "x");
        assertError("--dim '0': allowed: an integer >= 1", "--dim", "0");
        assertError("--epsilon '2': allowed: a number in [0.0, 1.0]", "--epsilon", "2");
        assertError("--bounded 'maybe': allowed: true, false", "--bounded", "maybe");
        assertError("--step-size 'fast': not a number", "--step-size", "fast");
        assertError("unknown option --colour; known options: --bootstrap-servers", "--colour", "red");
        assertError("--batch-size needs a value", "--batch-size");
        assertError("--slot-draws 'random': unknown slot draws 'random'; allowed: stratified, independent", "--slot-draws",
                "random");
        assertError("--erma-reference 'fresh': unknown ERMA reference 'fresh'; allowed: uniform, published, auto",
                "--erma-reference", "fresh");
        assertError("--loss-weights fgls: the fgls loss-weight policy needs the linear model", "--model", "logistic",
                "--loss-weights", "fgls");
        assertError("--static-loss-weights: the static loss-weight policy needs weights", "--loss-weights", "static");
        assertError("--loss-weights fgls-forgetting: the fgls-forgetting loss-weight policy needs the linear model",
                "--model", "mlp", "--loss-weights", "fgls-forgetting");
        assertError("--temperature '0': allowed: a number in [0.001, 1000000.0]", "--temperature", "0");
        assertError("output topic 'domainmix.snapshots' would also be read as an example topic",
                "--snapshot-topic", "domainmix.snapshots");
        assertError("either --topics or --topic-pattern", "--topics", "a", "--topic-pattern", "b.*");
        assertError("--kafka-property 'novalue': expected key=value", "--kafka-property", "novalue");
        assertError("--run-id 'a b': allowed: 1 to 200 of letters", "--run-id", "a b");
        assertError("--state-backend 'memory': allowed: hashmap, rocksdb, forst", "--state-backend", "memory");
        assertError("--tolerable-failed-checkpoints '-1': allowed: an integer >= 0", "--tolerable-failed-checkpoints", "-1");
    }

    @Test
    void checkpointSettingsGivenOverrideTheClusterAndOthersAreLeftToIt() {
        org.apache.flink.configuration.Configuration none = DomainMixJob.checkpointConfiguration(JobOptions.defaults());
        assertFalse(none.containsKey("state.backend.type"), "no backend given: the cluster's applies");
        assertFalse(none.containsKey("execution.checkpointing.dir"), "no directory given: the cluster's applies");
        assertEquals("3", none.toMap().get("execution.checkpointing.tolerable-failed-checkpoints"));

        org.apache.flink.configuration.Configuration rocks = DomainMixJob.checkpointConfiguration(JobOptions.parse(
                "--state-backend", "rocksdb", "--checkpoint-dir", "s3://bucket/ck", "--tolerable-failed-checkpoints", "5"));
        assertEquals("rocksdb", rocks.toMap().get("state.backend.type"));
        assertEquals("true", rocks.toMap().get("execution.checkpointing.incremental"));
        assertEquals("filesystem", rocks.toMap().get("execution.checkpointing.storage"));
        assertEquals("s3://bucket/ck", rocks.toMap().get("execution.checkpointing.dir"));
        assertEquals("5", rocks.toMap().get("execution.checkpointing.tolerable-failed-checkpoints"));

        org.apache.flink.configuration.Configuration heap = DomainMixJob.checkpointConfiguration(JobOptions.parse(
                "--state-backend", "hashmap", "--checkpoint-dir", "relative/ck"));
        assertEquals("hashmap", heap.toMap().get("state.backend.type"));
        assertEquals("false", heap.toMap().get("execution.checkpointing.incremental"));
        String dir = heap.toMap().get("execution.checkpointing.dir");
        assertTrue(dir.startsWith("file:/") && dir.endsWith("/relative/ck"), "a path becomes an absolute file URI: " + dir);
    }

    private static void assertError(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(args));
        assertTrue(e.getMessage().contains(expected.replace("--sampling' '", "--sampling '")),
                "expected '" + expected + "' in: " + e.getMessage());
    }
}
