package io.domainmix.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.core.train.Trainer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshot and metrics records as the job writes them, made by running core's trainer in one
 * thread on a synthetic experiment (the reference simulator's loop). Lets the report be tested
 * on realistic records without Kafka or Flink.
 */
final class SimulatedRecords {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SimulatedRecords() {}

    /** Writes the producer-style truth document of {@code experiment} with {@code seed}. */
    static Path writeTruth(Path file, Experiment experiment, long seed) throws IOException {
        return writeTruth(file, experiment, seed, 0);
    }

    /** The truth document of a stream of {@code examples} (for an experiment with a change; 0: not written). */
    static Path writeTruth(Path file, Experiment experiment, long seed, long examples) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("run", experiment.name());
        root.put("seed", seed);
        root.put("model", experiment.modelType().optionName());
        root.put("dimension", experiment.dimension());
        ArrayNode domains = root.putArray("domains");
        for (DomainSpec d : experiment.domains()) {
            ObjectNode n = domains.addObject();
            n.put("name", d.name());
            n.put("scale", d.featureScale());
            n.put("noise", d.noiseVariance());
            n.put("flip", d.flipRate());
            io.domainmix.producers.SyntheticProducer.putChanges(n, d);
        }
        if (examples > 0) {
            root.put("examples", examples);
        }
        root.set("truth", MAPPER.valueToTree(experiment.groundTruth(seed)));
        MAPPER.writeValue(file.toFile(), root);
        return file;
    }

    /**
     * Trains one policy on {@code examples} arrivals and writes its records as JSON lines,
     * snapshots and metrics every {@code every} steps and at the end.
     */
    static void writeRun(Path snapshots, Path metrics, String runId, Experiment experiment, PolicySpec policy,
                         long seed, long examples, long every) throws IOException {
        SimulationSettings s = new SimulationSettings();
        s.examples = examples;
        GroundTruth truth = experiment.groundTruth(seed);
        Experiment.Arrivals arrivals = experiment.arrivals(truth, seed, examples);
        Trainer trainer = Trainer.create(Simulator.trainerSettings(experiment, s, policy, seed));
        ModelSpec spec = experiment.modelSpec();
        List<DomainSpec> specs = experiment.domains();
        DomainStatistics[] stats = new DomainStatistics[specs.size()];
        for (int k = 0; k < stats.length; k++) {
            stats[k] = DomainStatistics.create(spec.dimension(), spec.intercept(), trainer.settings().fglsEnabled());
        }
        long version = 0;
        try (Writer snaps = Files.newBufferedWriter(snapshots, StandardCharsets.UTF_8);
             Writer mets = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8)) {
            for (long i = 0; i < examples; i++) {
                int k = arrivals.nextDomain();
                Example e = arrivals.next(k);
                if (!stats[k].observe(e)) {
                    continue;
                }
                boolean stepped = trainer.onExample(e) > 0;
                if (stats[k].count % s.statsEvery == 0) {
                    trainer.onDomainStats(stats[k].summary(e.domain));
                }
                if (stepped && trainer.step() % every == 0) {
                    writeLine(snaps, snapshot(trainer, runId, ++version, false));
                    writeLine(mets, metrics(trainer, stats, specs, runId, false));
                    trainer.resetNoiseWindow();
                }
            }
            writeLine(snaps, snapshot(trainer, runId, ++version, true));
            writeLine(mets, metrics(trainer, stats, specs, runId, true));
        }
    }

    private static void writeLine(Writer w, ObjectNode n) throws IOException {
        w.write(MAPPER.writeValueAsString(n));
        w.write('\n');
    }

    private static ObjectNode snapshot(Trainer trainer, String runId, long version, boolean last) {
        ModelSnapshot snap = trainer.snapshot(runId, version, version);
        ObjectNode n = MAPPER.valueToTree(snap);
        n.put("final", last);
        return n;
    }

    private static ObjectNode metrics(Trainer trainer, DomainStatistics[] stats, List<DomainSpec> specs, String runId,
                                      boolean last) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("runId", runId);
        root.put("step", trainer.step());
        root.put("examplesSeen", trainer.arrivals());
        root.put("final", last);
        ObjectNode domains = root.putObject("domains");
        String[] names = trainer.domains();
        for (int i = 0; i < names.length; i++) {
            int k = indexOf(specs, names[i]);
            ObjectNode d = domains.putObject(names[i]);
            d.put("n", stats[k].count);
            d.put("arrivals", trainer.arrivalCounts()[i]);
            d.put("share", trainer.shares()[i]);
            d.put("lossEma", trainer.lossEstimates()[i]);
            d.put("gradientSecondMoment", trainer.gradientSecondMoments()[i]);
            d.put("lossWeight", trainer.lossWeights()[i]);
            d.put("samplingProbability", trainer.samplingProbabilities()[i]);
        }
        ObjectNode noise = root.putObject("gradientNoise");
        noise.put("measured", trainer.windowGradientNoise());
        noise.put("measuredEma", trainer.measuredGradientNoise());
        noise.put("predicted", trainer.predictedGradientNoise());
        noise.put("proportional", trainer.predictedProportionalNoise());
        noise.put("varianceAware", trainer.predictedVarianceAwareNoise());
        root.put("trainingLoss", trainer.trainingLoss());
        return root;
    }

    private static int indexOf(List<DomainSpec> specs, String name) {
        for (int k = 0; k < specs.size(); k++) {
            if (specs.get(k).name().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
