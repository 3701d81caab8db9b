package io.domainmix.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.synth.SyntheticDomain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building a synthetic run from an experiment, --domain options and spec files. */
class SyntheticPlanTest {
    @TempDir
    Path dir;

    @Test
    void domainOptionParsesEveryKey() {
        DomainPlan d = DomainPlan.parse("name=a, scale=4,noise=20,rate=250,count=5000,delay=1.5", null, 1000, 10);
        assertEquals("a", d.name());
        assertEquals(4.0, d.spec().featureScale());
        assertEquals(20.0, d.spec().noiseVariance());
        assertEquals(250.0, d.rate());
        assertEquals(5000, d.count());
        assertEquals(1.5, d.delaySeconds());
    }

    @Test
    void anExperimentWithAChangeIsOneStreamOfCountTimesDomains() {
        SyntheticPlan plan = SyntheticPlan.ofExperiment("vanish", 5, 3, 100, 2000);
        assertTrue(plan.changes());
        assertEquals(4000, plan.totalCount(), "the stream has count x domains examples");
        // d2 arrives for the first 60 % only, at half of them: about 1,200 of 4,000
        assertEquals(1200, plan.domains().get(1).count(), 4 * Math.sqrt(0.25 * 2400));
        assertEquals(200.0, plan.streamRate(), 0.0);
        // an override keeps the change point
        SyntheticPlan noisier = plan.withDomainOptions(List.of("name=d2,noise=30"), 100, 2000);
        assertEquals(0.6, noisier.domains().get(1).spec().stopsAt(), 0.0);
        assertEquals(30.0, noisier.domains().get(1).spec().noiseVariance(), 0.0);

        IllegalArgumentException unbounded = assertThrows(IllegalArgumentException.class,
                () -> SyntheticPlan.ofExperiment("drift", 5, 3, 100, 0));
        assertTrue(unbounded.getMessage().contains("--count"), unbounded.getMessage());
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
                () -> plan.withDomainOptions(List.of("name=d2,delay=5"), 100, 2000));
        assertTrue(schedule.getMessage().contains("delay does not apply"), schedule.getMessage());
        assertTrue(!SyntheticPlan.ofExperiment("linear-noise", 5, 3, 100, 2000).changes());
    }

    @Test
    void missingKeysTakeTheDefaults() {
        DomainPlan d = DomainPlan.parse("name=b", null, 300, 77);
        assertEquals(1.0, d.spec().featureScale());
        assertEquals(1.0, d.spec().noiseVariance());
        assertEquals(300.0, d.rate());
        assertEquals(77, d.count());
        assertEquals(0.0, d.delaySeconds());
    }

    @Test
    void badDomainOptionsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainPlan.parse("name=a,sclae=2", null, 1, 1));
        assertTrue(e.getMessage().contains("sclae"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DomainPlan.parse("name=a,noise=lots", null, 1, 1));
        assertTrue(e.getMessage().contains("noise=lots"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DomainPlan.parse("scale=2", null, 1, 1));
        assertTrue(e.getMessage().contains("no name"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DomainPlan.parse("name=a,count=1.5", null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> DomainPlan.parse("name=a,rate=-1", null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> DomainPlan.parse("name=a,scale=0", null, 1, 1));
    }

    @Test
    void domainOptionsOverrideAnExperimentByNameAndAddNewDomains() {
        SyntheticPlan p = SyntheticPlan.ofExperiment("linear-noise", 5, 7, 1000, 100)
                .withDomainOptions(List.of("name=d2,rate=50,delay=3", "name=d3,scale=9,noise=2"), 1000, 100);
        assertEquals(3, p.domains().size());
        DomainPlan d2 = p.domains().get(1);
        assertEquals(20.0, d2.spec().noiseVariance(), "kept from the experiment");
        assertEquals(50.0, d2.rate());
        assertEquals(3.0, d2.delaySeconds());
        assertEquals(9.0, p.domains().get(2).spec().featureScale());
        assertEquals(ModelType.LINEAR, p.modelType());
    }

    @Test
    void flipRatesNeedTheLogisticModel() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticPlan.ofDomainOptions("x", ModelType.LINEAR, 3, 1,
                List.of("name=a,flip=0.1"), 10, 10));
        SyntheticPlan p = SyntheticPlan.ofDomainOptions("x", ModelType.LOGISTIC, 3, 1, List.of("name=a,flip=0.1"), 10, 10);
        assertTrue(p.binaryLabels());
    }

    @Test
    void duplicateDomainsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticPlan("x", ModelType.LINEAR, 3, 1,
                List.of(DomainPlan.parse("name=a", null, 1, 1), DomainPlan.parse("name=a", null, 1, 1))));
    }

    @Test
    void yamlSpecFile() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "model: linear\ndimension: 4\nseed: 11\nrate: 200\ncount: 30\n"
                + "domains:\n  - {name: clean, scale: 1, noise: 1}\n  - name: noisy\n    noise: 20\n    rate: 50\n    delay: 2\n");
        SyntheticPlan p = SyntheticPlan.fromFile(f, null, 42, 20, 1000, 10_000);
        assertEquals("run", p.name());
        assertEquals(4, p.dimension());
        assertEquals(11, p.seed());
        assertEquals(2, p.domains().size());
        assertEquals(200.0, p.domains().get(0).rate());
        assertEquals(30, p.domains().get(0).count());
        assertEquals(20.0, p.domains().get(1).spec().noiseVariance());
        assertEquals(50.0, p.domains().get(1).rate());
        assertEquals(2.0, p.domains().get(1).delaySeconds());
        assertEquals(99, SyntheticPlan.fromFile(f, 99L, 42, 20, 1000, 10_000).seed(), "--seed wins over the file");
    }

    @Test
    void jsonSpecFileStartingFromAnExperiment() throws Exception {
        Path f = dir.resolve("run.json");
        Files.writeString(f, "{\"experiment\": \"logistic-scale\", \"dimension\": 6, \"domains\": [{\"name\": \"d1\", \"flip\": 0.2}]}");
        SyntheticPlan p = SyntheticPlan.fromFile(f, null, 42, 20, 1000, 10_000);
        assertEquals(ModelType.LOGISTIC, p.modelType());
        assertEquals(2, p.domains().size());
        assertEquals(0.2, p.domains().get(0).spec().flipRate());
        assertEquals(100.0, p.domains().get(0).spec().featureScale(), "kept from the experiment");
        assertEquals(42, p.seed());
    }

    @Test
    void unknownSpecKeysAreRefused() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "domians:\n  - {name: a}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticPlan.fromFile(f, null, 1, 2, 1, 1));
        assertTrue(e.getMessage().contains("domians"), e.getMessage());
    }

    @Test
    void sameSeedSameExamplesWhateverTheOtherDomains() {
        SyntheticPlan a = SyntheticPlan.ofDomainOptions("x", ModelType.LINEAR, 3, 5,
                List.of("name=a,scale=2", "name=b,noise=7"), 10, 10);
        SyntheticPlan b = SyntheticPlan.ofDomainOptions("x", ModelType.LINEAR, 3, 5,
                List.of("name=c", "name=a,scale=2,rate=99"), 10, 10);
        SyntheticDomain ga = a.generators(a.groundTruth()).get(0);
        SyntheticDomain gb = b.generators(b.groundTruth()).get(1);
        for (int i = 0; i < 100; i++) {
            Example ea = ga.next();
            Example eb = gb.next();
            assertEquals(ea, eb, "example " + i);
        }
        SyntheticPlan other = SyntheticPlan.ofDomainOptions("x", ModelType.LINEAR, 3, 6, List.of("name=a,scale=2"), 10, 10);
        assertTrue(!other.generators(other.groundTruth()).get(0).next().equals(a.generators(a.groundTruth()).get(0).next()),
                "another seed gives other examples");
    }

    @Test
    void manyDomainsCycleThroughSixNoiseLevelsFromHalfToTwenty() {
        SyntheticPlan plan = SyntheticPlan.ofNoiseLevels("many", io.domainmix.core.model.ModelType.LINEAR, 20, 7, 1000,
                0, 200);
        assertEquals(1000, plan.domains().size());
        assertEquals("d0001", plan.domains().get(0).name());
        assertEquals("d1000", plan.domains().get(999).name());
        assertEquals(200_000, plan.totalCount());
        double[] levels = SyntheticPlan.NOISE_LEVELS;
        assertEquals(6, levels.length);
        assertEquals(0.5, levels[0], 1e-12);
        assertEquals(20, levels[5], 1e-12);
        for (int j = 1; j < 6; j++) {
            assertEquals(Math.pow(40, 0.2), levels[j] / levels[j - 1], 1e-12, "geometric spacing");
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(levels[i % 6], plan.domains().get(i).spec().noiseVariance(), 0.0, plan.domains().get(i).name());
            assertEquals(1.0, plan.domains().get(i).spec().featureScale(), 0.0);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SyntheticPlan.ofNoiseLevels(
                "many", io.domainmix.core.model.ModelType.LOGISTIC, 20, 7, 10, 0, 200));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SyntheticPlan.ofNoiseLevels(
                "many", io.domainmix.core.model.ModelType.LINEAR, 20, 7, 0, 0, 200));
    }

    @Test
    void offsetNoiseExperimentProducesTheCoreSettingWithItsLabelOffset() {
        SyntheticPlan plan = SyntheticPlan.ofExperiment("offset-noise", 2, 3, 1000, 4000);
        io.domainmix.core.synth.Experiment core = io.domainmix.core.synth.Experiment.named("offset-noise", 2);
        List<SyntheticDomain> produced = plan.generators(plan.groundTruth());
        List<SyntheticDomain> reference = core.generators(core.groundTruth(3), 3);
        assertEquals(4, produced.size());
        for (int k = 0; k < produced.size(); k++) {
            assertEquals(io.domainmix.core.synth.Experiment.OFFSET_NOISE_LABEL_OFFSET, plan.domains().get(k).spec().labelOffset());
            double sum = 0;
            for (int i = 0; i < 4000; i++) {
                Example e = produced.get(k).next();
                assertEquals(reference.get(k).next(), e, "domain " + k + ", example " + i);
                sum += e.y;
            }
            // labels centred on the offset (27), not on 0: x has mean 0, the noise variance is at most 8
            assertTrue(Math.abs(sum / 4000 - 27) < 3, "mean label of domain " + k + ": " + sum / 4000);
        }
    }
}
