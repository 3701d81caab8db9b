package io.domainmix.core.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Uncentred labels and a few thousand examples a domain (the {@code offset-noise} experiment,
 * 4,000 a domain, seeds 1–5): the online weights and models against the offline fits of the same
 * rows, on held-out rows with noisy labels, as a user measures them. λ of the offline FGLS fit is
 * 1/σ̂²_k; the λ-weighted held-out loss is Σ λ_k L_k / Σ λ_k.
 */
class OffsetNoiseQualityTest {
    private static final Experiment EXPERIMENT = Experiment.named("offset-noise", 2);
    private static final int SEEDS = 5;
    private static final int HELD_OUT_PER_DOMAIN = 1000; // the 20 % a user would hold out of 5,000 rows
    private static final List<PolicySpec> POLICIES = PolicySpec.parseList("uniform+proportional,erma+va,fgls+va,erma+proportional");

    private static SimulationSettings settings() {
        SimulationSettings s = new SimulationSettings();
        s.examples = 16_000;
        return s;
    }

    @Test
    void weightsAndHeldOutLossMatchTheOfflineFits() {
        SimulationSettings s = settings();
        Model model = EXPERIMENT.modelSpec().create();
        StringBuilder table = new StringBuilder();
        List<String> failures = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Simulator.ClosedForm offline = Simulator.closedForm(EXPERIMENT, s, seed);
            GroundTruth truth = EXPERIMENT.groundTruth(seed);
            List<List<Example>> heldOut = EXPERIMENT.heldOut(truth, seed, HELD_OUT_PER_DOMAIN, true);
            double[] lambdaOffline = new double[4];
            for (int k = 0; k < 4; k++) {
                lambdaOffline[k] = 1.0 / offline.noiseVariance[k];
            }
            double offlineRatio = max(lambdaOffline) / min(lambdaOffline);
            double olsLoss = pooledLoss(model, offline.olsTheta, heldOut);
            double fglsLoss = weightedLoss(model, offline.fglsTheta, heldOut, lambdaOffline);
            table.append(String.format(Locale.ROOT, "seed %d: offline λ ratio %.1f, OLS held-out %.4f, FGLS λ-weighted %.4f%n",
                    seed, offlineRatio, olsLoss, fglsLoss));
            for (PolicySpec p : POLICIES) {
                Simulator.Run run = Simulator.runOne(EXPERIMENT, s, p, seed);
                double pooled = pooledLoss(model, run.averagedTheta, heldOut) / olsLoss;
                double weighted = weightedLoss(model, run.averagedTheta, heldOut, lambdaOffline) / fglsLoss;
                double ratio = max(run.lossWeights) / min(run.lossWeights);
                table.append(String.format(Locale.ROOT, "  %-22s λ %s ratio %.1f (x%.2f of offline); held-out/OLS %.4f, λ-weighted/FGLS %.4f%n",
                        p.name(), fmt(run.lossWeights), ratio, ratio / offlineRatio, pooled, weighted));
                if (p.name().equals("uniform+proportional") && pooled > 1.10) {
                    failures.add("seed " + seed + " " + p.name() + " held-out " + pooled + "x OLS");
                }
                if (p.loss().optionName().equals("uniform")) {
                    continue;
                }
                if (p.sampling().optionName().equals("va") && weighted > 1.10) {
                    failures.add("seed " + seed + " " + p.name() + " λ-weighted held-out " + weighted + "x FGLS");
                }
                if (!rankedByNoise(run.lossWeights)) {
                    failures.add("seed " + seed + " " + p.name() + " λ not ranked by noise: " + fmt(run.lossWeights));
                }
                if (ratio / offlineRatio > 1.5 || offlineRatio / ratio > 1.5) {
                    failures.add("seed " + seed + " " + p.name() + " λ ratio " + ratio + " vs offline " + offlineRatio);
                }
            }
        }
        System.out.print(table);
        assertTrue(failures.isEmpty(), failures + "\n" + table);
    }

    /** Noise variances 0.2 < 1 < 7 < 8: λ must fall strictly from d1 to d4. */
    private static boolean rankedByNoise(double[] lambda) {
        for (int k = 1; k < lambda.length; k++) {
            if (!(lambda[k] < lambda[k - 1])) {
                return false;
            }
        }
        return true;
    }

    private static double pooledLoss(Model model, double[] theta, List<List<Example>> sets) {
        double[] ones = new double[sets.size()];
        Arrays.fill(ones, 1.0);
        return weightedLoss(model, theta, sets, ones);
    }

    private static double weightedLoss(Model model, double[] theta, List<List<Example>> sets, double[] lambda) {
        double sum = 0;
        double z = 0;
        for (int k = 0; k < sets.size(); k++) {
            double l = 0;
            for (Example e : sets.get(k)) {
                l += model.loss(theta, e.x, e.y);
            }
            sum += lambda[k] * l / sets.get(k).size();
            z += lambda[k];
        }
        return sum / z;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v[i]));
        }
        return b.append(")").toString();
    }
}
