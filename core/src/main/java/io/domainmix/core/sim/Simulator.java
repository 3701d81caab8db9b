package io.domainmix.core.sim;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.health.HealthEvent;
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
        public final double heldOutLossNoisy;
        public final double gradientNoise;
        public final double predictedGradientNoise;
        public final double predictedProportionalNoise;
        /** In the experiment's domain order. */
        public final double[] lossWeights;
        public final double[] samplingProbabilities;
        public final long steps;
        public final double fractionUsed;
        public final double meanUses;
        /** How the weights followed the change; null for a stationary experiment. */
        public Adaptation adaptation;
        /** Domain health events the trainer reported over the whole stream. */
        public long healthEvents;

        Run(PolicySpec policy, long seed, double[] averagedTheta, double error, double cosineDistance, double heldOutLoss,
            double heldOutLossNoisy, double gradientNoise, double predictedGradientNoise, double predictedProportionalNoise,
            double[] lossWeights, double[] samplingProbabilities, long steps, double fractionUsed, double meanUses) {
            this.fractionUsed = fractionUsed;
            this.meanUses = meanUses;
            this.policy = policy;
            this.seed = seed;
            this.averagedTheta = averagedTheta;
            this.error = error;
            this.cosineDistance = cosineDistance;
            this.heldOutLoss = heldOutLoss;
            this.heldOutLossNoisy = heldOutLossNoisy;
            this.gradientNoise = gradientNoise;
            this.predictedGradientNoise = predictedGradientNoise;
            this.predictedProportionalNoise = predictedProportionalNoise;
            this.lossWeights = lossWeights;
            this.samplingProbabilities = samplingProbabilities;
            this.steps = steps;
        }
    }

    /** How one run's weights of the changed domain followed the change (see {@link AdaptationMeasure}). */
    public static final class Adaptation {
        /** λ's lag in the changed domain's examples after the change; -1 when it did not adapt. */
        public final long lossWeightExamples;
        public final long samplingExamples;
        /** Mean |λ − λ*|/λ* and |p − p*| over the changed domain's arrivals in the last quarter. */
        public final double lossWeightLastQuarterError;
        public final double samplingLastQuarterError;
        /** Mean ‖θ̄_t − θ*‖ over {@value #LAST_QUARTER_POINTS} points evenly spread over the last quarter. */
        public final double lastQuarterError;
        /** Health events before the change: false alarms. */
        public long healthEventsBeforeChange;
        /** The changed domain's examples after the change until the first health event (of any domain); -1: none. */
        public long healthEventExamples = -1;
        /** That event's domain and kind, e.g. "d2 loss-up"; null: none. */
        public String healthEvent;

        Adaptation(long lossWeightExamples, long samplingExamples, double lossWeightLastQuarterError,
                   double samplingLastQuarterError, double lastQuarterError) {
            this.lossWeightExamples = lossWeightExamples;
            this.samplingExamples = samplingExamples;
            this.lossWeightLastQuarterError = lossWeightLastQuarterError;
            this.samplingLastQuarterError = samplingLastQuarterError;
            this.lastQuarterError = lastQuarterError;
        }
    }

    /** λ counts as adapted within this fraction of its target λ*. */
    public static final double LOSS_WEIGHT_TOLERANCE = 0.20;
    /** p counts as adapted within this distance of its target p*. */
    public static final double SAMPLING_TOLERANCE = 0.05;
    /** Points of the last quarter at which the parameter error is measured. */
    public static final int LAST_QUARTER_POINTS = 8;

    /** The stream positions (arrival counts) at which the last-quarter parameter error is measured. */
    static long[] lastQuarterPoints(long examples) {
        long[] at = new long[LAST_QUARTER_POINTS];
        long start = examples - examples / 4;
        for (int j = 1; j <= LAST_QUARTER_POINTS; j++) {
            at[j - 1] = start + (examples - start) * j / LAST_QUARTER_POINTS;
        }
        return at;
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

        /** Mean ‖θ_GLS,t − θ*‖ over the last-quarter points, GLS knowing the change; NaN without one. */
        public double lastQuarterGlsError = Double.NaN;

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
        TrainerSettings t = new TrainerSettings(experiment.modelSpec(),
                policy.weightSettings().parseParameters(s.policyParameters));
        t.batchSize = s.batchSize;
        t.slotDraws = s.slotDraws;
        t.stepsPerArrival = s.stepsPerArrival;
        t.bufferCapacity = s.bufferCapacity;
        t.bufferBudget = s.bufferBudget;
        t.stepSize = s.stepSize;
        t.stepSizeFactor = s.stepSizeFactor;
        t.momentum = s.momentum;
        t.maxStalenessSteps = s.maxStalenessSteps;
        t.statsWindowMax = s.statsWindowMax;
        t.healthFactor = s.healthFactor;
        t.ermaReference = s.ermaReference;
        t.seed = seed;
        return t;
    }

    /** Runs one policy on one seed's data. */
    public static Run runOne(Experiment experiment, SimulationSettings s, PolicySpec policy, long seed) {
        GroundTruth truth = experiment.groundTruth(seed);
        Experiment.Arrivals arrivals = experiment.arrivals(truth, seed, s.examples);
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
        ChangeWatch watch = experiment.changes() ? new ChangeWatch(experiment, s, ts.weights.epsilon, truth) : null;
        long healthEvents = 0;

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
            if (watch != null) {
                watch.afterArrival(i, k, trainer);
            }
            if (trainer.healthEventCount() != healthEvents) {
                healthEvents = trainer.healthEventCount();
                for (HealthEvent event : trainer.drainHealthEvents()) {
                    if (watch != null) {
                        watch.onHealthEvent(i, event);
                    }
                }
            }
        }
        // final statistics, so the reported weights reflect all the data
        for (int k = 0; k < stats.length; k++) {
            if (stats[k].count > 0) {
                trainer.onDomainStats(stats[k].summary(specs.get(k).name()));
            }
        }
        trainer.finishInput();
        double[] theta = trainer.averagedTheta().clone();
        double error = Double.NaN;
        double cosine = Double.NaN;
        double[] trueTheta = experiment.trueParameters(truth);
        if (trueTheta != null) {
            error = distance(theta, trueTheta);
            cosine = cosineDistance(theta, trueTheta);
        }
        double heldOut = heldOutLoss(experiment, truth, seed, s.heldOutPerDomain, false, model, theta);
        double heldOutNoisy = heldOutLoss(experiment, truth, seed, s.heldOutNoisyPerDomain, true, model, theta);
        double[] lambda = inExperimentOrder(experiment, trainer.domains(), trainer.lossWeights());
        double[] p = inExperimentOrder(experiment, trainer.domains(), trainer.samplingProbabilities());
        Run run = new Run(policy, seed, theta, error, cosine, heldOut, heldOutNoisy, trainer.windowGradientNoise(),
                trainer.predictedGradientNoise(), trainer.predictedProportionalNoise(), lambda, p, trainer.step(),
                trainer.fractionOfExamplesUsed(), trainer.meanUsesOfUsedExamples());
        run.adaptation = watch == null ? null : watch.result();
        run.healthEvents = trainer.healthEventCount();
        return run;
    }

    /**
     * Follows the changed domain's λ and p after the change point ({@link AdaptationMeasure}
     * against {@link ChangeOracle}), and the parameter error at the last-quarter points.
     */
    private static final class ChangeWatch {
        private final int domain;
        private final String name;
        private final long changeAt;
        private final AdaptationMeasure lambda;
        private final AdaptationMeasure p;
        private final long[] points;
        private final double[] trueTheta;
        private int nextPoint;
        private double errorSum;
        private int trainerIndex = -1;
        private long eventsBefore;
        private long eventExamples = -1;
        private String event;

        ChangeWatch(Experiment experiment, SimulationSettings s, double epsilon, GroundTruth truth) {
            this.name = experiment.changedDomain();
            this.domain = experiment.domains().stream().map(DomainSpec::name).toList().indexOf(name);
            this.changeAt = (long) Math.ceil(experiment.changeAt() * s.examples);
            ChangeOracle oracle = ChangeOracle.afterChange(experiment, epsilon);
            this.lambda = new AdaptationMeasure(oracle.lossWeight(domain), LOSS_WEIGHT_TOLERANCE, true, s.examples);
            this.p = new AdaptationMeasure(oracle.samplingProbability(domain), SAMPLING_TOLERANCE, false, s.examples);
            this.points = lastQuarterPoints(s.examples);
            this.trueTheta = experiment.trueParameters(truth);
        }

        /** After arrival {@code i} (from 0) of experiment domain {@code k} has been processed. */
        void afterArrival(long i, int k, Trainer trainer) {
            if (k == domain && i >= changeAt) {
                if (trainerIndex < 0) {
                    trainerIndex = java.util.Arrays.asList(trainer.domains()).indexOf(name);
                }
                lambda.observe(i, trainer.lossWeights()[trainerIndex]);
                p.observe(i, trainer.samplingProbabilities()[trainerIndex]);
            }
            while (trueTheta != null && nextPoint < points.length && i + 1 == points[nextPoint]) {
                errorSum += distance(trainer.averagedTheta(), trueTheta);
                nextPoint++;
            }
        }

        /** A health event drained after arrival {@code i}. */
        void onHealthEvent(long i, HealthEvent e) {
            if (i < changeAt) {
                eventsBefore++;
            } else if (event == null) {
                eventExamples = lambda.examples();
                event = e.domain + " " + e.kind;
            }
        }

        Adaptation result() {
            Adaptation a = new Adaptation(lambda.adaptationExamples(), p.adaptationExamples(), lambda.lastQuarterError(),
                    p.lastQuarterError(), trueTheta == null || nextPoint < points.length ? Double.NaN : errorSum / points.length);
            a.healthEventsBeforeChange = eventsBefore;
            a.healthEventExamples = eventExamples;
            a.healthEvent = event;
            return a;
        }
    }

    /** FGLS, GLS (true σ²) and OLS from all of one seed's data at once. */
    public static ClosedForm closedForm(Experiment experiment, SimulationSettings s, long seed) {
        GroundTruth truth = experiment.groundTruth(seed);
        Experiment.Arrivals arrivals = experiment.arrivals(truth, seed, s.examples);
        List<DomainSpec> specs = experiment.domains();
        List<FglsStatistics> stats = new ArrayList<>();
        for (int k = 0; k < specs.size(); k++) {
            stats.add(new FglsStatistics(experiment.dimension(), experiment.intercept()));
        }
        double[] trueTheta = experiment.trueParameters(truth);
        // with a change, GLS weighs each example by the noise in force when it arrived: one
        // set of statistics per domain before and after its noise change
        boolean changes = experiment.changes();
        List<FglsStatistics> segments = new ArrayList<>();
        double[] segmentWeight = new double[2 * specs.size()];
        if (changes) {
            for (int k = 0; k < specs.size(); k++) {
                DomainSpec d = specs.get(k);
                segments.add(new FglsStatistics(experiment.dimension(), experiment.intercept()));
                segments.add(new FglsStatistics(experiment.dimension(), experiment.intercept()));
                segmentWeight[2 * k] = 1.0 / Math.max(d.noiseVariance(), 1e-12);
                segmentWeight[2 * k + 1] = 1.0 / Math.max(d.hasNoiseChange() ? d.noiseVarianceAfterChange() : d.noiseVariance(), 1e-12);
            }
        }
        long[] points = lastQuarterPoints(s.examples);
        int nextPoint = 0;
        double lastQuarterGls = 0;
        for (long i = 0; i < s.examples; i++) {
            int k = arrivals.nextDomain();
            Example e = arrivals.next(k);
            stats.get(k).add(e.x, e.y, 1.0);
            if (changes) {
                DomainSpec d = specs.get(k);
                boolean after = d.hasNoiseChange() && arrivals.fraction() >= d.noiseChangesAt();
                segments.get(2 * k + (after ? 1 : 0)).add(e.x, e.y, 1.0);
                while (trueTheta != null && nextPoint < points.length && i + 1 == points[nextPoint]) {
                    lastQuarterGls += distance(FglsEstimator.weightedSolve(segments, segmentWeight), trueTheta);
                    nextPoint++;
                }
            }
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
        double[] fglsTheta = FglsEstimator.weightedSolve(stats, fglsWeights);
        double[] olsTheta = FglsEstimator.weightedSolve(stats, ones);
        double fgls = distanceOrNaN(fglsTheta, trueTheta);
        double gls = changes ? distanceOrNaN(FglsEstimator.weightedSolve(segments, segmentWeight), trueTheta)
                : distanceOrNaN(FglsEstimator.weightedSolve(stats, inverseTrueNoise), trueTheta);
        double ols = distanceOrNaN(olsTheta, trueTheta);
        ClosedForm c = new ClosedForm(fgls, gls, ols, fglsWeights, noise.noiseVariance.clone(), olsTheta, fglsTheta);
        if (changes && trueTheta != null) {
            c.lastQuarterGlsError = lastQuarterGls / points.length;
        }
        return c;
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
            pr.heldOutLossNoisy = orNull(mean(runs, x -> x.heldOutLossNoisy));
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
            pr.healthEvents = orNull(mean(runs, x -> x.healthEvents));
            if (experiment.changes()) {
                pr.adaptation = adaptation(experiment, s, spec, runs);
            }
            r.results.add(pr);
        }
        if (!closedForms.isEmpty()) {
            r.oracle.glsError = closedForms.stream().mapToDouble(c -> c.glsError).average().orElse(Double.NaN);
            r.oracle.olsError = closedForms.stream().mapToDouble(c -> c.olsError).average().orElse(Double.NaN);
            r.oracle.lastQuarterGlsError = orNull(closedForms.stream().mapToDouble(c -> c.lastQuarterGlsError)
                    .average().orElse(Double.NaN));
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

    private static SimulationReport.Adaptation adaptation(Experiment experiment, SimulationSettings s, PolicySpec spec,
                                                          List<Run> runs) {
        SimulationReport.Adaptation a = new SimulationReport.Adaptation();
        a.domain = experiment.changedDomain();
        a.changeAtExample = (long) Math.ceil(experiment.changeAt() * s.examples);
        ChangeOracle oracle = ChangeOracle.afterChange(experiment, trainerSettings(experiment, s, spec, 0).weights.epsilon);
        int d = experiment.domains().stream().map(DomainSpec::name).toList().indexOf(a.domain);
        a.lossWeight = weightAdaptation(oracle.lossWeight(d), LOSS_WEIGHT_TOLERANCE, true, runs,
                x -> x.adaptation.lossWeightExamples, x -> x.adaptation.lossWeightLastQuarterError);
        a.sampling = weightAdaptation(oracle.samplingProbability(d), SAMPLING_TOLERANCE, false, runs,
                x -> x.adaptation.samplingExamples, x -> x.adaptation.samplingLastQuarterError);
        a.lastQuarterError = orNull(mean(runs, x -> x.adaptation.lastQuarterError));
        SimulationReport.HealthAfterChange h = new SimulationReport.HealthAfterChange();
        h.falseAlarms = orNull(mean(runs, x -> x.adaptation.healthEventsBeforeChange));
        long sum = 0;
        for (Run r : runs) {
            long l = r.adaptation.healthEventExamples;
            h.perSeed.add(l < 0 ? null : l);
            h.firstEvents.add(r.adaptation.healthEvent);
            if (l >= 0) {
                h.firedSeeds++;
                sum += l;
            }
        }
        h.fired = h.firedSeeds == runs.size();
        h.examples = h.fired ? (double) sum / runs.size() : null;
        a.healthEvent = h;
        return a;
    }

    private static SimulationReport.WeightAdaptation weightAdaptation(double target, double tolerance, boolean relative,
            List<Run> runs, java.util.function.ToLongFunction<Run> lag, java.util.function.ToDoubleFunction<Run> error) {
        SimulationReport.WeightAdaptation w = new SimulationReport.WeightAdaptation();
        w.target = orNull(target);
        w.tolerance = tolerance;
        w.relativeTolerance = relative;
        long sum = 0;
        long max = 0;
        for (Run r : runs) {
            long l = lag.applyAsLong(r);
            w.perSeed.add(l < 0 ? null : l);
            if (l >= 0) {
                w.adaptedSeeds++;
                sum += l;
                max = Math.max(max, l);
            }
        }
        w.adapted = w.adaptedSeeds == runs.size();
        w.adaptationExamples = w.adapted ? (double) sum / runs.size() : null;
        w.adaptationExamplesMax = w.adapted ? max : null;
        w.lastQuarterError = orNull(mean(runs, error));
        return w;
    }

    static double heldOutLoss(Experiment experiment, GroundTruth truth, long seed, int perDomain, boolean noisy,
                              Model model, double[] theta) {
        if (perDomain <= 0) {
            return Double.NaN;
        }
        double sum = 0;
        List<List<Example>> sets = experiment.heldOut(truth, seed, perDomain, noisy);
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
