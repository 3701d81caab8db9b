package io.domainmix.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The held-out loss on noisy labels: recomputed here from the experiment's noisy held-out rows,
 * and, for the linear model, against its expectation: with labels y* + ε, ε ~ N(0, σ²_k)
 * independent of x, E ½(y* + ε − f)² = E ½(y* − f)² + σ²_k/2, so the noisy loss is the
 * noise-free one plus the mean of σ²_k/2 over domains.
 */
class NoisyHeldOutLossTest {
    private static final long SEED = 3;

    private static SimulationSettings settings() {
        SimulationSettings s = new SimulationSettings();
        s.examples = 20_000;
        s.seeds = 1;
        s.firstSeed = SEED;
        s.threads = 1;
        return s;
    }

    @Test
    void isTheMeanLossOfTheAveragedModelOnTheNoisyHeldOutRows() {
        for (String name : new String[] {"logistic-mixed", "linear-noise"}) {
            Experiment experiment = Experiment.named(name, 10);
            SimulationSettings s = settings();
            SimulationReport report = Simulator.run(experiment, s, PolicySpec.parseList("uniform+proportional,erma+va"));
            for (String policy : new String[] {"uniform+proportional", "erma+va"}) {
                Simulator.Run run = Simulator.runOne(experiment, s, PolicySpec.parseList(policy).get(0), SEED);
                Double reported = report.result(policy).heldOutLossNoisy;
                assertTrue(reported != null && Double.isFinite(reported), name + " " + policy + ": " + reported);
                double[] perDomain = meanLosses(experiment, run.averagedTheta, s.heldOutNoisyPerDomain)[0];
                double expected = (perDomain[0] + perDomain[1]) / 2;
                assertEquals(expected, run.heldOutLossNoisy, 1e-12, name + " " + policy);
                assertEquals(expected, reported, 1e-12, name + " " + policy + " in the report");
                // noisy labels cost more than noise-free ones for every model
                assertTrue(reported > report.result(policy).heldOutLoss, name + " " + policy);
            }
        }
    }

    @Test
    void exceedsTheNoiseFreeLossByHalfTheMeanNoiseVarianceForTheLinearModel() {
        Experiment experiment = Experiment.named("linear-noise", 10);
        SimulationSettings s = settings();
        Simulator.Run run = Simulator.runOne(experiment, s, PolicySpec.parseList("uniform+proportional").get(0), SEED);
        List<DomainSpec> domains = experiment.domains();
        double halfMeanVariance = 0;
        for (DomainSpec d : domains) {
            halfMeanVariance += d.noiseVariance() / 2 / domains.size();
        }
        double[][] stats = meanLosses(experiment, run.averagedTheta, s.heldOutNoisyPerDomain);
        // the standard error of the mean over domains of the per-domain row means
        double variance = 0;
        for (int k = 0; k < domains.size(); k++) {
            variance += stats[1][k] / s.heldOutNoisyPerDomain / (domains.size() * domains.size());
        }
        double standardError = Math.sqrt(variance);
        double gap = run.heldOutLossNoisy - run.heldOutLoss;
        assertTrue(standardError < 0.01 * halfMeanVariance, "standard error " + standardError);
        assertEquals(halfMeanVariance, gap, 4 * standardError,
                "noisy " + run.heldOutLossNoisy + " − noise-free " + run.heldOutLoss + " against mean σ²/2 " + halfMeanVariance);
    }

    /** Per domain, the mean and the sample variance of the loss of θ over the noisy held-out rows. */
    private static double[][] meanLosses(Experiment experiment, double[] theta, int perDomain) {
        GroundTruth truth = experiment.groundTruth(SEED);
        Model model = experiment.modelSpec().create();
        List<List<Example>> sets = experiment.heldOut(truth, SEED, perDomain, true);
        double[][] out = new double[2][sets.size()];
        for (int k = 0; k < sets.size(); k++) {
            double sum = 0;
            double sumSq = 0;
            for (Example e : sets.get(k)) {
                double l = model.loss(theta, e.x, e.y);
                sum += l;
                sumSq += l * l;
            }
            int n = sets.get(k).size();
            out[0][k] = sum / n;
            out[1][k] = (sumSq - sum * sum / n) / (n - 1);
        }
        return out;
    }
}
