package io.domainmix.core.sim;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The reference simulator: the whole online algorithm in one thread, exactly as the Flink job
 * runs it (per-domain {@link DomainStatistics}, their summaries on a count trigger after the
 * example that completes the count, and the same {@link Trainer}, which scores every arrival
 * before training on it), fed by a synthetic experiment. Every policy sees the same arrivals
 * for a given seed; a seed's results do not depend on threads.
 */
public final class Simulator {
    private Simulator() {}

    /** The outcome of one policy on one seed. */
    public static final class Run {
        public final PolicySpec policy;
        public final long seed;
        public final double[] averagedTheta;
        public final double error;
        public final double cosineDistance;
        public final double heldOutLoss;
        public final double gradientNoise;
        public final double predictedGradientNoise;
        public final double predictedProportionalNoise;
        /** In the experiment's domain order. */
        public final double[] lossWeights;
        public final double[] samplingProbabilities;
        public final long steps;
        public final double fractionUsed;
        public final double meanUses;

        Run(PolicySpec policy, long seed, double[] averagedTheta, double error, double cosineDistance, double heldOutLoss,
            double gradientNoise, double predictedGradientNoise, double predictedProportionalNoise,
            double[] lossWeights, double[] samplingProbabilities, long steps, double fractionUsed, double meanUses) {
            this.fractionUsed = fractionUsed;
            this.meanUses = meanUses;
            this.policy = policy;
            this.seed = seed;
            this.averagedTheta = averagedTheta;
            this.error = error;
            this.cosineDistance = cosineDistance;
            this.heldOutLoss = heldOutLoss;
            this.gradientNoise = gradientNoise;
            this.predictedGradientNoise = predictedGradientNoise;
            this.predictedProportionalNoise = predictedProportionalNoise;
            this.lossWeights = lossWeights;
            this.samplingProbabilities = samplingProbabilities;
            this.steps = steps;
        }
    }

    /** Closed-form estimates of one seed (linear experiments). */
    public static final class ClosedForm {
        public final double fglsError;
        public final double glsError;
        public final double olsError;
        public final double[] fglsLossWeights;
        /** σ̂²_k of the one-shot FGLS fit, in the experiment's domain order. */
        public final double[] noiseVariance;
        public final double[] olsTheta;
        public final double[] fglsTheta;

        ClosedForm(double fglsError, double glsError, double olsError, double[] fglsLossWeights, double[] noiseVariance,
                   double[] olsTheta, double[] fglsTheta) {
            this.fglsError = fglsError;
            this.glsError = glsError;
            this.olsError = olsError;
            this.fglsLossWeights = fglsLossWeights;
            this.noiseVariance = noiseVariance;
            this.olsTheta = olsTheta;
            this.fglsTheta = fglsTheta;
        }
    }

    public static TrainerSettings trainerSettings(Experiment experiment, SimulationSettings s, PolicySpec policy, long seed) {
        TrainerSettings t = new TrainerSettings(experiment.modelSpec(), policy.weightSettings());
        t.batchSize = s.batchSize;
        t.stepsPerArrival = s.stepsPerArrival;
        t.bufferCapacity = s.bufferCapacity;
        t.bufferBudget = s.bufferBudget;
        t.stepSize = s.stepSize;
        t.stepSizeFactor = s.stepSizeFactor;
        t.momentum = s.momentum;
        t.maxStalenessSteps = s.maxStalenessSteps;
        t.statsWindowMax = s.statsWindowMax;
        t.ermaReference = s.ermaReference;
        t.seed = seed;
        return t;
    }

    /** Runs one policy on one seed's data. */
    public static Run runOne(Experiment experiment, SimulationSettings s, PolicySpec policy, long seed) {
        GroundTruth truth = experiment.groundTruth(seed);
        Experiment.Arrivals arrivals = experiment.arrivals(truth, seed);
        TrainerSettings ts = trainerSettings(experiment, s, policy, seed);
        Trainer trainer = Trainer.create(ts);
        ModelSpec spec = experiment.modelSpec();
        Model model = spec.create();
        List<DomainSpec> specs = experiment.domains();
        DomainStatistics[] stats = new DomainStatistics[specs.size()];
        for (int k = 0; k < stats.length; k++) {
            stats[k] = DomainStatistics.create(spec.dimension(), spec.intercept(), ts.fglsEnabled());
        }
        long expectedSteps = (long) Math.floor(s.examples * s.stepsPerArrival / s.batchSize);
        long noiseWindowStart = expectedSteps - Math.max(1, expectedSteps / 10);
        boolean noiseWindowOpen = false;

        for (long i = 0; i < s.examples; i++) {
            int k = arrivals.nextDomain();
            Example e = arrivals.next(k);
            if (!stats[k].observe(e)) {
                continue;
            }
            if (trainer.onExample(e) > 0) {
                long step = trainer.step();
                if (!noiseWindowOpen && step >= noiseWindowStart) {
                    trainer.resetNoiseWindow();
                    noiseWindowOpen = true;
                }
            }
            if (stats[k].count % s.statsEvery == 0) {
                trainer.onDomainStats(stats[k].summary(e.domain));
            }
        }
        // final statistics, so the reported weights reflect all the data
        for (int k = 0; k < stats.length; k++) {
            if (stats[k].count > 0) {
                trainer.onDomainStats(stats[k].summary(specs.get(k).name()));
            }
        }
        trainer.applyPendingWeights();
        double[] theta = trainer.averagedTheta().clone();
        double error = Double.NaN;
        double cosine = Double.NaN;
        double[] trueTheta = experiment.trueParameters(truth);
        if (trueTheta != null) {
            error = distance(theta, trueTheta);
            cosine = cosineDistance(theta, trueTheta);
        }
        double heldOut = heldOutLoss(experiment, truth, seed, s.heldOutPerDomain, model, theta);
        double[] lambda = inExperimentOrder(experiment, trainer.domains(), trainer.lossWeights());
        double[] p = inExperimentOrder(experiment, trainer.domains(), trainer.samplingProbabilities());
        return new Run(policy, seed, theta, error, cosine, heldOut, trainer.windowGradientNoise(),
                trainer.predictedGradientNoise(), trainer.predictedProportionalNoise(), lambda, p, trainer.step(),
                trainer.fractionOfExamplesUsed(), trainer.meanUsesOfUsedExamples());
    }

    /** FGLS, GLS (true σ²) and OLS from all of one seed's data at once. */
    public static ClosedForm closedForm(Experiment experiment, SimulationSettings s, long seed) {
        GroundTruth truth = experiment.groundTruth(seed);
        Experiment.Arrivals arrivals = experiment.arrivals(truth, seed);
        List<DomainSpec> specs = experiment.domains();
        List<FglsStatistics> stats = new ArrayList<>();
        for (int k = 0; k < specs.size(); k++) {
            stats.add(new FglsStatistics(experiment.dimension(), experiment.intercept()));
        }
        for (long i = 0; i < s.examples; i++) {
            int k = arrivals.nextDomain();
            Example e = arrivals.next(k);
            stats.get(k).add(e.x, e.y, 1.0);
        }
        int k = specs.size();
        double[] ones = new double[k];
        Arrays.fill(ones, 1.0);
        double[] inverseTrueNoise = new double[k];
        for (int i = 0; i < k; i++) {
            inverseTrueNoise[i] = 1.0 / Math.max(specs.get(i).noiseVariance(), 1e-12);
        }
        FglsEstimator.NoiseEstimate noise = FglsEstimator.estimateNoise(stats);
        double[] fglsWeights = new double[k];
        double z = 0;
        for (int i = 0; i < k; i++) {
            fglsWeights[i] = 1.0 / Math.max(noise.noiseVariance[i], 1e-12);
            z += fglsWeights[i] * stats.get(i).n / (double) s.examples;
        }
        for (int i = 0; i < k; i++) {
            fglsWeights[i] /= z;
        }
        double[] trueTheta = experiment.trueParameters(truth);
        double[] fglsTheta = FglsEstimator.weightedSolve(stats, fglsWeights);
        double[] olsTheta = FglsEstimator.weightedSolve(stats, ones);
        double fgls = distanceOrNaN(fglsTheta, trueTheta);
        double gls = distanceOrNaN(FglsEstimator.weightedSolve(stats, inverseTrueNoise), trueTheta);
        double ols = distanceOrNaN(olsTheta, trueTheta);
        return new ClosedForm(fgls, gls, ols, fglsWeights, noise.noiseVariance.clone(), olsTheta, fglsTheta);
    }

    /** Runs every policy on every seed and aggregates means over seeds. */
    public static SimulationReport run(Experiment experiment, SimulationSettings s, List<PolicySpec> policies) {
        s.validate();
        for (PolicySpec p : policies) {
            trainerSettings(experiment, s, p, 0).validate(); // e.g. fgls on a logistic model: fail before any work
        }
        boolean linear = experiment.modelType() == ModelType.LINEAR;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(s.threads, s.seeds));
        try {
            List<Future<List<Run>>> runs = new ArrayList<>();
            List<Future<ClosedForm>> closed = new ArrayList<>();
            for (int i = 0; i < s.seeds; i++) {
                long seed = s.firstSeed + i;
                runs.add(pool.submit(() -> {
                    List<Run> out = new ArrayList<>();
                    for (PolicySpec p : policies) {
                        out.add(runOne(experiment, s, p, seed));
                    }
                    return out;
                }));
                if (linear) {
                    closed.add(pool.submit(() -> closedForm(experiment, s, seed)));
                }
            }
            List<List<Run>> bySeed = new ArrayList<>();
            for (Future<List<Run>> f : runs) {
                bySeed.add(f.get());
            }
            List<ClosedForm> closedForms = new ArrayList<>();
            for (Future<ClosedForm> f : closed) {
                closedForms.add(f.get());
            }
            return aggregate(experiment, s, policies, bySeed, closedForms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    private static SimulationReport aggregate(Experiment experiment, SimulationSettings s, List<PolicySpec> policies,
                                              List<List<Run>> bySeed, List<ClosedForm> closedForms) {
        SimulationReport r = new SimulationReport();
        r.experiment = experiment.name();
        r.examples = s.examples;
        r.seeds = s.seeds;
        r.stepsPerArrival = s.stepsPerArrival;
        for (DomainSpec d : experiment.domains()) {
            r.domains.add(d.name());
        }
        int k = experiment.domains().size();
        for (int p = 0; p < policies.size(); p++) {
            List<Run> runs = new ArrayList<>();
            for (List<Run> seedRuns : bySeed) {
                runs.add(seedRuns.get(p));
            }
            PolicySpec spec = policies.get(p);
            SimulationReport.PolicyResult pr = new SimulationReport.PolicyResult();
            pr.policy = spec.name();
            pr.lossWeights = spec.loss().optionName();
            pr.sampling = spec.sampling().optionName();
            pr.mode = spec.mode().optionName();
            pr.error = orNull(mean(runs, x -> x.error));
            pr.errorSd = orNull(sd(runs, x -> x.error));
            pr.cosineDistance = orNull(mean(runs, x -> x.cosineDistance));
            pr.heldOutLoss = orNull(mean(runs, x -> x.heldOutLoss));
            pr.gradientNoise = orNull(mean(runs, x -> x.gradientNoise));
            pr.predictedGradientNoise = orNull(mean(runs, x -> x.predictedGradientNoise));
            pr.predictedProportionalNoise = orNull(mean(runs, x -> x.predictedProportionalNoise));
            pr.steps = runs.get(0).steps;
            pr.fractionUsed = orNull(mean(runs, x -> x.fractionUsed));
            pr.meanUses = orNull(mean(runs, x -> x.meanUses));
            for (int d = 0; d < k; d++) {
                final int dd = d;
                pr.finalLossWeights.add(orNull(mean(runs, x -> x.lossWeights[dd])));
                pr.finalSamplingProbs.add(orNull(mean(runs, x -> x.samplingProbabilities[dd])));
            }
            r.results.add(pr);
        }
        if (!closedForms.isEmpty()) {
            r.oracle.glsError = closedForms.stream().mapToDouble(c -> c.glsError).average().orElse(Double.NaN);
            r.oracle.olsError = closedForms.stream().mapToDouble(c -> c.olsError).average().orElse(Double.NaN);
            SimulationReport.PolicyResult pr = new SimulationReport.PolicyResult();
            pr.policy = "fgls+closed-form";
            pr.lossWeights = "fgls";
            pr.sampling = "closed-form";
            pr.mode = "none";
            double[] errors = closedForms.stream().mapToDouble(c -> c.fglsError).toArray();
            pr.error = Arrays.stream(errors).average().orElse(Double.NaN);
            pr.errorSd = orNull(sampleSd(errors));
            for (int d = 0; d < k; d++) {
                final int dd = d;
                pr.finalLossWeights.add(closedForms.stream().mapToDouble(c -> c.fglsLossWeights[dd]).average().orElse(Double.NaN));
            }
            r.results.add(pr);
        }
        return r;
    }

    static double heldOutLoss(Experiment experiment, GroundTruth truth, long seed, int perDomain, Model model, double[] theta) {
        if (perDomain <= 0) {
            return Double.NaN;
        }
        double sum = 0;
        List<List<Example>> sets = experiment.heldOut(truth, seed, perDomain);
        for (List<Example> set : sets) {
            double l = 0;
            for (Example e : set) {
                l += model.loss(theta, e.x, e.y);
            }
            sum += l / set.size();
        }
        return sum / sets.size();
    }

    private static double[] inExperimentOrder(Experiment experiment, String[] domains, double[] values) {
        List<DomainSpec> specs = experiment.domains();
        double[] out = new double[specs.size()];
        Arrays.fill(out, Double.NaN);
        for (int i = 0; i < domains.length; i++) {
            for (int k = 0; k < specs.size(); k++) {
                if (specs.get(k).name().equals(domains[i])) {
                    out[k] = values[i];
                }
            }
        }
        return out;
    }

    private static double distanceOrNaN(double[] a, double[] b) {
        return b == null ? Double.NaN : distance(a, b);
    }

    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    public static double cosineDistance(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < b.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 1.0;
        }
        return 1.0 - dot / Math.sqrt(na * nb);
    }

    private static double mean(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double sd(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        return sampleSd(runs.stream().mapToDouble(f).toArray());
    }

    private static double sampleSd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
