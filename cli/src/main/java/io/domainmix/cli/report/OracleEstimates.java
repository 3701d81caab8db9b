package io.domainmix.cli.report;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.SyntheticDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Closed-form estimators from all the examples a run saw, at once: GLS with the true noise
 * variances (the best linear unbiased estimator, the yardstick of the summary), OLS, and the
 * one-shot FGLS. Linear experiments only. The examples are regenerated from the truth document:
 * every domain is its own seeded stream, so its first n examples are the ones the producer sent,
 * whatever the interleaving.
 */
public final class OracleEstimates {
    public final double glsError;
    public final double olsError;
    public final double fglsError;

    private OracleEstimates(double glsError, double olsError, double fglsError) {
        this.glsError = glsError;
        this.olsError = olsError;
        this.fglsError = fglsError;
    }

    /**
     * @param counts examples per domain name (e.g. the arrivals of a run's final metrics)
     * @return null when the truth is not linear or cannot be regenerated
     */
    public static OracleEstimates compute(TruthDocument truth, Map<String, Long> counts) {
        if (truth.modelType() != ModelType.LINEAR || !truth.regenerable()) {
            return null;
        }
        Experiment experiment = truth.experiment();
        if (truth.changes()) {
            // the change points are fractions of the stream: regenerate it in order, as the simulator
            // does (a run of the demo reads the whole stream), GLS knowing the noise at each example
            SimulationSettings whole = new SimulationSettings();
            whole.examples = truth.streamLength();
            Simulator.ClosedForm c = Simulator.closedForm(experiment, whole, truth.seed());
            return new OracleEstimates(c.glsError, c.olsError, c.fglsError);
        }
        List<SyntheticDomain> generators = experiment.generators(truth.truth(), truth.seed());
        List<DomainSpec> specs = experiment.domains();
        List<FglsStatistics> stats = new ArrayList<>();
        long total = 0;
        for (int k = 0; k < specs.size(); k++) {
            FglsStatistics s = new FglsStatistics(experiment.dimension(), false);
            long n = counts.getOrDefault(specs.get(k).name(), 0L);
            for (long i = 0; i < n; i++) {
                Example e = generators.get(k).next();
                s.add(e.x, e.y, 1.0);
            }
            stats.add(s);
            total += n;
        }
        if (total <= experiment.dimension()) {
            return null;
        }
        // a domain without examples contributes nothing; keep it out of the noise estimate
        List<FglsStatistics> present = new ArrayList<>();
        List<DomainSpec> presentSpecs = new ArrayList<>();
        for (int k = 0; k < specs.size(); k++) {
            if (stats.get(k).n > 0) {
                present.add(stats.get(k));
                presentSpecs.add(specs.get(k));
            }
        }
        int k = present.size();
        double[] ones = new double[k];
        double[] inverseTrueNoise = new double[k];
        for (int i = 0; i < k; i++) {
            ones[i] = 1.0;
            inverseTrueNoise[i] = 1.0 / Math.max(presentSpecs.get(i).noiseVariance(), 1e-12);
        }
        FglsEstimator.NoiseEstimate noise = FglsEstimator.estimateNoise(present);
        double[] fglsWeights = new double[k];
        for (int i = 0; i < k; i++) {
            fglsWeights[i] = 1.0 / Math.max(noise.noiseVariance[i], 1e-12);
        }
        double[] truthTheta = truth.truth().theta;
        return new OracleEstimates(
                Simulator.distance(FglsEstimator.weightedSolve(present, inverseTrueNoise), truthTheta),
                Simulator.distance(FglsEstimator.weightedSolve(present, ones), truthTheta),
                Simulator.distance(FglsEstimator.weightedSolve(present, fglsWeights), truthTheta));
    }
}
