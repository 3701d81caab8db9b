package io.domainmix.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TrainerTest {
    private static final Experiment LINEAR_SCALE = Experiment.named("linear-scale", 5);

    /** A trainer whose buffers hold {@code n} examples of each domain and that has taken no step. */
    private static Trainer loadedTrainer(WeightSettings w, int n) {
        return loadedTrainer(w, n, TrainerSettings.DEFAULT_BUFFER_BUDGET);
    }

    /** The same with an example budget that may give the domains rings of different sizes. */
    private static Trainer loadedTrainer(WeightSettings w, int n, long budget) {
        return loadedTrainer(w, n, budget, 1, SlotDraws.STRATIFIED, true);
    }

    private static Trainer loadedTrainer(WeightSettings w, int n, long budget, int slots, SlotDraws draws, boolean freshFirst) {
        TrainerSettings s = new TrainerSettings(LINEAR_SCALE.modelSpec(), w);
        s.batchSize = slots;
        s.slotDraws = draws;
        s.freshFirst = freshFirst;
        s.stepsPerArrival = 1e-12; // fill the buffers without stepping
        s.bufferCapacity = n;
        s.bufferBudget = budget;
        Trainer t = Trainer.create(s);
        arrivalsThenSummaries(t, LINEAR_SCALE, 4 * n, false);
        t.applyPendingWeights();
        return t;
    }

    /**
     * {@code count} arrivals of the experiment (seed 1) through the trainer and the two domains'
     * statistics, then the two domains' summaries: a backlog read before any summary came back.
     */
    private static void arrivalsThenSummaries(Trainer t, Experiment ex, int count, boolean fgls) {
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(1), 1);
        DomainStatistics[] stats = {DomainStatistics.create(5, false, fgls), DomainStatistics.create(5, false, fgls)};
        for (int i = 0; i < count; i++) {
            int k = arrivals.nextDomain();
            Example e = arrivals.next(k);
            stats[k].observe(e);
            t.onExample(e);
        }
        t.onDomainStats(stats[0].summary("d1"));
        t.onDomainStats(stats[1].summary("d2"));
    }

    static Stream<WeightSettings> policies() {
        return Stream.of(
                new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.PROPORTIONAL, ImportanceMode.CORRECTED),
                new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.UNIFORM, ImportanceMode.CORRECTED),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.VA, ImportanceMode.CORRECTED),
                staticPolicy());
    }

    private static WeightSettings staticPolicy() {
        WeightSettings w = new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.STATIC, ImportanceMode.CORRECTED);
        w.set(io.domainmix.core.weights.rules.StaticSampling.WEIGHTS, java.util.Map.of("d1", 0.05, "d2", 0.95));
        return w;
    }

    /**
     * ALGORITHMS.md §6: importance-corrected sampling is unbiased. At a fixed θ the mean of many
     * draws of ĝ equals ∇L_λ(θ) = Σ_k π_k λ_k mean_buffer_k ∇ℓ within 4 standard errors, for every
     * sampling policy.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void importanceCorrectedGradientIsUnbiased(WeightSettings w) {
        assertUnbiased(loadedTrainer(w, 200));
    }

    /** Stratified slots (B = 4) keep every sampling policy's correction exact. */
    @ParameterizedTest
    @MethodSource("policies")
    void stratifiedSlotsKeepTheCorrectedGradientUnbiased(WeightSettings w) {
        assertUnbiased(loadedTrainer(w, 200, TrainerSettings.DEFAULT_BUFFER_BUDGET, 4, SlotDraws.STRATIFIED, true));
    }

    /**
     * The variance of ĝ (trace of its covariance) at a fixed θ against its exact value, for B
     * independent draws and for stratified slots, on linear-scale at θ₀ with proportional sampling
     * (there the domains' mean gradients differ a hundredfold, C = (100, 1)).
     * With μ_k and V_k the mean and the variance of w_k∇ℓ over k's ring (examples drawn uniformly,
     * freshFirst off, so that draws within a domain are independent) and q_k = p_k:
     * independent: (1/B)(Σ_k q_k (V_k + ‖μ_k‖²) − ‖Σ_k q_k μ_k‖²);
     * stratified with two domains: (1/B²)(Σ_k B q_k V_k + r(1 − r)‖μ₁ − μ₂‖²), r the remainder of B q₁
     * (one of the two gets the one slot left with probability r or 1 − r).
     */
    @Test
    void stratifiedSlotsHaveTheirExactVarianceBelowIndependentDraws() {
        int b = 4;
        WeightSettings proportional = new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.PROPORTIONAL, ImportanceMode.CORRECTED);
        Trainer independent = loadedTrainer(proportional, 200, TrainerSettings.DEFAULT_BUFFER_BUDGET, b, SlotDraws.INDEPENDENT, false);
        Trainer stratified = loadedTrainer(proportional, 200, TrainerSettings.DEFAULT_BUFFER_BUDGET, b, SlotDraws.STRATIFIED, false);
        TrainerState st = stratified.state();
        Model model = stratified.model();
        int p = model.parameterCount();
        int k = st.domains.length;
        assertEquals(2, k);
        double[][] mu = new double[k][p];
        double[] v = new double[k];
        double[] q = new double[k];
        double[] g = new double[p];
        double[] x = new double[5];
        double total = st.samplingProbability[0] + st.samplingProbability[1];
        for (int d = 0; d < k; d++) {
            q[d] = st.samplingProbability[d] / total;
            double w = st.importanceWeight[d] * total;
            DomainTrainerState ds = st.domainStates[d];
            double second = 0;
            for (int i = 0; i < ds.bufferSize; i++) {
                System.arraycopy(ds.ring.x, i * 5, x, 0, 5);
                model.lossAndGradient(st.theta, x, ds.ring.y[i], g);
                for (int j = 0; j < p; j++) {
                    mu[d][j] += w * g[j] / ds.bufferSize;
                    second += w * w * g[j] * g[j] / ds.bufferSize;
                }
            }
            v[d] = second - dot(mu[d], mu[d]);
        }
        double[] mean = new double[p];
        double independentExact = 0;
        for (int d = 0; d < k; d++) {
            independentExact += q[d] * (v[d] + dot(mu[d], mu[d]));
            for (int j = 0; j < p; j++) {
                mean[j] += q[d] * mu[d][j];
            }
        }
        independentExact = (independentExact - dot(mean, mean)) / b;
        double r = b * q[0] - Math.floor(b * q[0]);
        double[] between = new double[p];
        for (int j = 0; j < p; j++) {
            between[j] = mu[0][j] - mu[1][j];
        }
        double stratifiedExact = (b * q[0] * v[0] + b * q[1] * v[1] + r * (1 - r) * dot(between, between)) / (b * b);

        double independentMeasured = measuredVariance(independent, 200_000);
        double stratifiedMeasured = measuredVariance(stratified, 200_000);
        assertEquals(independentExact, independentMeasured, 0.03 * independentExact, "independent draws");
        assertEquals(stratifiedExact, stratifiedMeasured, 0.03 * stratifiedExact, "stratified slots");
        assertTrue(stratifiedExact < 0.95 * independentExact,
                "the setting separates the two: " + stratifiedExact + " against " + independentExact);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Σ ĝ and Σ ĝ² per coordinate over {@code draws} draws at the trainer's θ. */
    private static double[][] drawMoments(Trainer t, int draws) {
        int p = t.model().parameterCount();
        double[] sum = new double[p];
        double[] sumSq = new double[p];
        for (int n = 0; n < draws; n++) {
            double[] d = t.sampleGradient();
            for (int j = 0; j < p; j++) {
                sum[j] += d[j];
                sumSq[j] += d[j] * d[j];
            }
        }
        return new double[][] {sum, sumSq};
    }

    /** Σ_j of the sample variance of ĝ_j over {@code draws} draws. */
    private static double measuredVariance(Trainer t, int draws) {
        int p = t.model().parameterCount();
        double[][] moments = drawMoments(t, draws);
        double[] sum = moments[0];
        double[] sumSq = moments[1];
        double trace = 0;
        for (int j = 0; j < p; j++) {
            double m = sum[j] / draws;
            trace += (sumSq[j] / draws - m * m) * draws / (draws - 1.0);
        }
        return trace;
    }

    /** Issue 16: a shared budget gives the domains rings of different sizes; the correction stays exact. */
    @Test
    void importanceCorrectionStaysExactWithASharedBudget() {
        Trainer t = loadedTrainer(staticPolicy(), 200, 120);
        DomainTrainerState[] ds = t.state().domainStates;
        int d1 = java.util.List.of(t.domains()).indexOf("d1");
        // p = (0.05, 0.95) of 120: d1 gets the floor min(16, 120 / 4) = 16, d2 114 (or the 120 it had
        // alone: a ring is resized only when its share moves by more than half)
        assertEquals(16, ds[d1].bufferCapacity);
        int c2 = ds[1 - d1].bufferCapacity;
        assertTrue(c2 == 114 || c2 == 120, "d2: " + c2);
        assertUnbiased(t);
    }

    private static void assertUnbiased(Trainer t) {
        TrainerState st = t.state();
        Model model = t.model();
        int p = model.parameterCount();
        double[] exact = new double[p];
        double[] g = new double[p];
        double[] x = new double[5];
        double[] share = st.share; // the shares the weights in force were computed with
        for (int k = 0; k < st.domains.length; k++) {
            DomainTrainerState d = st.domainStates[k];
            for (int i = 0; i < d.bufferSize; i++) {
                System.arraycopy(d.ring.x, i * 5, x, 0, 5);
                model.lossAndGradient(st.theta, x, d.ring.y[i], g);
                for (int j = 0; j < p; j++) {
                    exact[j] += share[k] * st.lossWeight[k] * g[j] / d.bufferSize;
                }
            }
        }
        int draws = 200_000;
        double[][] moments = drawMoments(t, draws);
        double[] sum = moments[0];
        double[] sumSq = moments[1];
        for (int j = 0; j < p; j++) {
            double mean = sum[j] / draws;
            double se = Math.sqrt((sumSq[j] / draws - mean * mean) / draws);
            assertEquals(exact[j], mean, 4 * se, "coordinate " + j);
        }
    }

    @Test
    void conflatedModeWeightsASlotByItsLossWeightOnly() {
        WeightSettings w = new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.STATIC, ImportanceMode.CONFLATED);
        w.set(io.domainmix.core.weights.rules.StaticSampling.WEIGHTS, java.util.Map.of("d1", 0.05, "d2", 0.95));
        Trainer t = loadedTrainer(w, 200);
        assertEquals(1.0, t.state().importanceWeight[0], 1e-12, "conflated: w = λ");
    }

    /** A checkpoint is the state: continuing from a copy gives bit-identical parameters (one slot, and four stratified). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 4})
    void restoredStateContinuesExactly(int slots) {
        TrainerSettings s = new TrainerSettings(LINEAR_SCALE.modelSpec(),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        s.batchSize = slots;
        Trainer straight = Trainer.create(s);
        Trainer first = Trainer.create(s);
        Experiment.Arrivals a = LINEAR_SCALE.arrivals(LINEAR_SCALE.groundTruth(2), 2);
        Experiment.Arrivals b = LINEAR_SCALE.arrivals(LINEAR_SCALE.groundTruth(2), 2);
        for (int i = 0; i < 5000; i++) {
            straight.onExample(a.next());
            first.onExample(b.next());
        }
        Trainer restored = new Trainer(s, deepCopy(first.state()));
        for (int i = 0; i < 5000; i++) {
            Example e = a.next();
            straight.onExample(e);
            restored.onExample(b.next());
        }
        assertArrayEquals(straight.theta(), restored.theta());
        assertArrayEquals(straight.averagedTheta(), restored.averagedTheta());
        assertEquals(straight.step(), restored.step());
    }

    private static TrainerState deepCopy(TrainerState s) {
        // the fields a checkpoint writes, copied so that no array is shared
        TrainerState c = new TrainerState();
        for (java.lang.reflect.Field f : TrainerState.class.getFields()) {
            try {
                Object v = f.get(s);
                if (v instanceof double[][]) {
                    double[][] src = (double[][]) v;
                    double[][] dst = new double[src.length][];
                    for (int i = 0; i < src.length; i++) {
                        dst[i] = src[i] == null ? null : src[i].clone();
                    }
                    v = dst;
                } else if (v instanceof double[]) {
                    v = ((double[]) v).clone();
                } else if (v instanceof long[]) {
                    v = ((long[]) v).clone();
                } else if (v instanceof int[]) {
                    v = ((int[]) v).clone();
                } else if (v instanceof Object[]) {
                    v = ((Object[]) v).clone();
                }
                f.set(c, v);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return c;
    }

    @Test
    void nonFiniteStepsAreSkippedAndCounted() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(2, false), new WeightSettings());
        s.stepSize = 1e300; // the gradient (−1e10, −1e10) is finite, the step η∇ℓ overflows
        Trainer t = Trainer.create(s);
        t.onExample(new Example("a", new double[] {1e5, 1e5}, 1e5));
        assertTrue(t.skippedUpdates() > 0);
        for (double v : t.theta()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void anArrivalWithANonFiniteScoreIsCountedAndNeverBuffered() {
        Trainer t = Trainer.create(new TrainerSettings(ModelSpec.linear(2, false), new WeightSettings()));
        t.onExample(new Example("a", new double[] {1, 2}, 1));
        // ‖∇ℓ‖² = (θᵀx − y)² ‖x‖² overflows: nothing of it may reach the model or the estimates
        assertEquals(0, t.onExample(new Example("a", new double[] {1e200, 1e200}, 1.0)));
        assertEquals(1, t.nonFiniteCounts()[0]);
        assertEquals(1, t.arrivalCounts()[0]);
        assertEquals(1, t.arrivals());
        assertEquals(1, t.state().domainStates[0].bufferSize);
        assertTrue(Double.isFinite(t.gradientSecondMoments()[0]));
        assertTrue(Double.isFinite(t.lossEstimates()[0]));
    }

    @Test
    void newDomainJoinsWithWeightsAndBuffers() {
        Trainer t = Trainer.create(new TrainerSettings(ModelSpec.linear(2, false),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.VA, ImportanceMode.CORRECTED)));
        for (int i = 0; i < 100; i++) {
            t.onExample(new Example("a", new double[] {1, 0}, 1));
        }
        t.onExample(new Example("late", new double[] {0, 1}, 1));
        assertEquals(2, t.domains().length);
        assertNotNull(t.samplingProbabilities());
        assertTrue(t.samplingProbabilities()[1] > 0);
        assertTrue(t.lossWeights()[1] > 0);
        assertEquals(1, t.arrivalCounts()[1]);
    }

    @Test
    void averageIsTheMeanOfEveryIterateSinceTheWeightsSettled() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false), new WeightSettings());
        s.stepSize = 0.1;
        s.burnInRestarts = false; // the loss falls to zero throughout: the burn-in test would restart
        Trainer t = Trainer.create(s);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 3000; i++) {
            assertEquals(1, t.onExample(new Example("a", new double[] {1}, 2.0)));
            sum += t.theta()[0];
            n++;
        }
        // one domain: λ never moves, so the average runs over every step, the transient from θ₀ included
        assertEquals(sum / n, t.averagedTheta()[0], 1e-12);
        assertTrue(Math.abs(t.averagedTheta()[0] - 2.0) > 1e-3, "the first steps are in the average");
    }

    @Test
    void aFallingLossRestartsTheAverageFromTheNewestDoublingWindow() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false), new WeightSettings());
        s.stepSize = 0.001; // θ creeps from 0 towards 2: the loss still falls after 2,048 steps
        Trainer t = Trainer.create(s);
        double windowSum = 0;
        for (int i = 1; i <= 2048; i++) {
            assertEquals(1, t.onExample(new Example("a", new double[] {1}, 2.0)));
            if (i > 1024) {
                windowSum += t.theta()[0];
            }
        }
        // restarted at step 2,048 with the iterates of steps 1,025..2,048 only
        assertEquals(1024, t.state().averageCount);
        assertEquals(windowSum / 1024, t.averagedTheta()[0], 1e-12);
    }

    @Test
    void aLevelLossKeepsEveryStepInTheAverage() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false), new WeightSettings());
        s.stepSize = 0.01;
        Trainer t = Trainer.create(s);
        java.util.Random noise = new java.util.Random(7);
        // θ₀ = 0 is already θ*: the loss of θ is level (unit noise) from the first step
        for (int i = 0; i < 20_000; i++) {
            t.onExample(new Example("a", new double[] {1}, noise.nextGaussian()));
        }
        assertEquals(20_000, t.state().averageCount);
    }

    @Test
    void burnInTestNeedsADropOfTwoStandardErrors() {
        // window a: mean 1, variance 1 over 100 values; window b: 100 values of mean 1 − δ
        double sumA = 100;
        double squaresA = 99 + 100; // (n−1)·var + n·mean²
        for (double delta : new double[] {0.25, 0.35}) {
            double meanB = 1 - delta;
            double sumB = 100 * meanB;
            double squaresB = 99 + 100 * meanB * meanB;
            // SE of the difference √(1/100 + 1/100) = 0.1414: 2 SE = 0.283
            assertEquals(delta > 0.283, BurnIn.significantDrop(sumA, squaresA, 100, sumB, squaresB, 100), "δ = " + delta);
        }
        assertFalse(BurnIn.significantDrop(100, 199, 100, 150, 99 + 225, 100), "a rise never restarts");
    }

    @Test
    void aNewDomainRestartsTheAverage() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false), new WeightSettings());
        s.stepSize = 0.01;
        Trainer t = Trainer.create(s);
        for (int i = 0; i < 100; i++) {
            t.onExample(new Example("a", new double[] {1}, 1.0));
        }
        assertEquals(100, t.state().averageCount);
        // the iterates so far followed weights over "a" alone: the average restarts with "b"
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            t.onExample(new Example(i % 2 == 0 ? "b" : "a", new double[] {1}, 3.0));
            sum += t.theta()[0];
        }
        assertEquals(10, t.state().averageCount);
        assertEquals(sum / 10, t.averagedTheta()[0], 1e-12);
    }

    @Test
    void freshFirstDrawsEveryExampleOnceAndSpreadsReusesEvenly() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false), new WeightSettings());
        s.stepSize = 0.01;
        s.stepsPerArrival = 3; // every example is used once fresh, then reused twice by the cursor
        Trainer t = Trainer.create(s);
        for (int i = 0; i < 1000; i++) {
            t.onExample(new Example("a", new double[] {1}, i));
        }
        assertEquals(1.0, t.fractionOfExamplesUsed(), 1e-12);
        assertEquals(3.0, t.meanUsesOfUsedExamples(), 1e-12);
        assertEquals(3000, t.state().domainStates[0].drawCount);
        assertEquals(1000, t.state().domainStates[0].freshDrawCount);

        s.freshFirst = false;
        Trainer replaced = Trainer.create(s);
        replaced.onExample(new Example("a", new double[] {1}, 1));
        assertTrue(Double.isNaN(replaced.fractionOfExamplesUsed()), "not tracked with replacement");
    }

    /**
     * Issue 11: every arrival is scored before it is trained on, its loss under a copy of θ̄
     * refreshed every S steps and its ‖∇ℓ‖² under the current θ; the estimates are exactly the
     * windowed means of those scores, and the lag never reaches S.
     */
    @Test
    void scoresEveryArrivalBeforeTrainingUnderAThetaBarAtMostSMinusOneStepsOld() {
        Experiment ex = Experiment.named("offset-noise", 2);
        TrainerSettings s = new TrainerSettings(ex.modelSpec(),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        s.maxStalenessSteps = 10;
        s.statsWindowMax = 256;
        s.ermaReference = ErmaReference.PUBLISHED; // the published θ̄'s copy is what this test follows
        Trainer t = Trainer.create(s);
        Model model = ex.modelSpec().create();
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(4), 4);
        double[] copy = t.averagedTheta().clone();
        long copyStep = 0;
        double[] g = new double[model.parameterCount()];
        java.util.Map<String, io.domainmix.core.stats.WindowedMean> loss = new java.util.HashMap<>();
        java.util.Map<String, io.domainmix.core.stats.WindowedMean> grad = new java.util.HashMap<>();
        long maxLag = 0;
        for (int i = 0; i < 3000; i++) {
            Example e = arrivals.next();
            if (t.step() - copyStep >= 10) {
                copy = t.averagedTheta().clone();
                copyStep = t.step();
            }
            maxLag = Math.max(maxLag, t.step() - copyStep);
            double l = model.loss(copy, e.x, e.y);
            model.lossAndGradient(t.theta(), e.x, e.y, g);
            double g2 = 0;
            for (double v : g) {
                g2 += v * v;
            }
            loss.computeIfAbsent(e.domain, d -> new io.domainmix.core.stats.WindowedMean()).add(l, 256);
            grad.computeIfAbsent(e.domain, d -> new io.domainmix.core.stats.WindowedMean()).add(g2, 256);
            t.onExample(e);
        }
        assertEquals(9, maxLag);
        assertEquals(9, t.stalenessMax());
        assertEquals(4.0, t.stalenessQuantile(0.5), 0.0, "lags 0..9 equally often");
        String[] domains = t.domains();
        for (int k = 0; k < domains.length; k++) {
            assertEquals(loss.get(domains[k]).read(), t.lossEstimates()[k], 0.0, domains[k]);
            assertEquals(grad.get(domains[k]).read(), t.gradientSecondMoments()[k], 0.0, domains[k]);
        }
        t.resetStalenessWindow();
        assertTrue(Double.isNaN(t.stalenessQuantile(0.95)));
    }

    @Test
    void theArrivalMixIsTheShareOfTheLastNArrivals() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false), new WeightSettings());
        s.arrivalMixWindow = 10;
        Trainer t = Trainer.create(s);
        java.util.List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 57; i++) {
            String d = i < 30 ? (i % 3 == 0 ? "a" : "b") : (i % 2 == 0 ? "c" : "a");
            seen.add(d);
            t.onExample(new Example(d, new double[] {1}, 1));
            java.util.List<String> last = seen.subList(Math.max(0, seen.size() - 10), seen.size());
            for (int k = 0; k < t.domains().length; k++) {
                String dk = t.domains()[k];
                double want = last.stream().filter(dk::equals).count() / (double) last.size();
                assertEquals(want, t.recentShares()[k], 1e-12, "after " + seen.size() + ", " + dk);
                assertEquals(seen.stream().filter(dk::equals).count() / (double) seen.size(), t.longRunShares()[k], 1e-12);
            }
        }
    }

    /**
     * Issue 16: the buffers share one example budget, so 10,000 domains keep about the memory of
     * 10 (counted as the numbers the state holds: every array element, 8 bytes or less each).
     */
    @Test
    void tenThousandDomainsKeepAboutTheMemoryOfTen() {
        long ten = stateNumbers(filledTrainer(10, 5_000));
        long tenThousand = stateNumbers(filledTrainer(10_000, 10));
        System.out.printf("trainer state numbers: 10 domains %,d, 10,000 domains %,d (x%.2f)%n", ten, tenThousand,
                (double) tenThousand / ten);
        assertTrue(tenThousand <= 3 * ten, ten + " vs " + tenThousand);
    }

    /** {@code k} domains of d = 20, {@code each} examples each, interleaved; no steps (the buffers are what grows). */
    private static Trainer filledTrainer(int k, int each) {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(20, false), new WeightSettings());
        s.stepsPerArrival = 1e-12;
        Trainer t = Trainer.create(s);
        double[] x = new double[20];
        for (int i = 0; i < each; i++) {
            for (int d = 0; d < k; d++) {
                x[d % 20] = i;
                t.onExample(new Example("d" + d, x.clone(), d));
            }
        }
        return t;
    }

    private static long stateNumbers(Trainer t) {
        long n = 0;
        for (java.lang.reflect.Field f : TrainerState.class.getFields()) {
            try {
                n += numbers(f.get(t.state()));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return n;
    }

    private static long numbers(Object v) throws IllegalAccessException {
        if (v == null) {
            return 0;
        }
        if (v instanceof Object[]) {
            long n = 0;
            for (Object o : (Object[]) v) {
                n += 1 + numbers(o);
            }
            return n;
        }
        if (v.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(v);
        }
        if (v.getClass().getName().startsWith("io.domainmix")) {
            long n = 0;
            for (java.lang.reflect.Field f : v.getClass().getFields()) {
                n += numbers(f.get(v));
            }
            return n;
        }
        return 1;
    }

    @Test
    void aResizedRingKeepsItsNewestExamplesInOrder() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false),
                new WeightSettings(LossWeightPolicy.UNIFORM, SamplingPolicy.UNIFORM, ImportanceMode.CORRECTED));
        s.stepsPerArrival = 1e-12;
        s.bufferBudget = 100;
        s.bufferFloor = 4;
        Trainer t = Trainer.create(s);
        for (int i = 0; i < 150; i++) {
            t.onExample(new Example("a", new double[] {i}, i));
        }
        assertEquals(100, t.state().domainStates[0].bufferCapacity, "alone, a domain gets the whole budget");
        t.onExample(new Example("b", new double[] {-1}, -1)); // uniform sampling, p = (1/2, 1/2): a's ring shrinks to 50
        TrainerState st = t.state();
        DomainTrainerState a = st.domainStates[0];
        assertEquals(50, a.bufferCapacity);
        assertEquals(50, a.bufferSize);
        java.util.List<Double> kept = new java.util.ArrayList<>();
        for (int j = 0; j < 50; j++) {
            kept.add(a.ring.y[(a.bufferNext + j) % 50]);
        }
        java.util.List<Double> newest = new java.util.ArrayList<>();
        for (int i = 100; i < 150; i++) {
            newest.add((double) i);
        }
        assertEquals(newest, kept, "the 50 newest, oldest first from the write position");
    }

    /** Issue 16: with K domains, summaries recompute the O(K) weights at most once per K arrivals. */
    @Test
    void summariesOfManyDomainsRecomputeTheWeightsAtMostOncePerKArrivals() {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(1, false),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.PROPORTIONAL, ImportanceMode.CORRECTED));
        s.stepsPerArrival = 1e-12;
        Trainer t = Trainer.create(s);
        for (int d = 0; d < 50; d++) {
            t.onExample(new Example("d" + d, new double[] {1}, d));
        }
        long at = t.state().weightsAt; // the last new domain's arrival
        for (int d = 0; d < 50; d++) {
            io.domainmix.core.stats.DomainStats summary = new io.domainmix.core.stats.DomainStats();
            summary.domain = "d" + d;
            summary.count = 1;
            t.onDomainStats(summary);
        }
        assertEquals(at, t.state().weightsAt, "no recomputation within K = 50 arrivals");
        assertTrue(t.state().weightsPending);
        for (int i = 0; i < 49; i++) {
            t.onExample(new Example("d0", new double[] {1}, 0));
        }
        assertTrue(t.state().weightsPending);
        t.onExample(new Example("d0", new double[] {1}, 0));
        assertEquals(at + 50, t.state().weightsAt, "recomputed with the K-th arrival");
        io.domainmix.core.stats.DomainStats again = new io.domainmix.core.stats.DomainStats();
        again.domain = "d1";
        again.count = 1;
        t.onDomainStats(again);
        assertTrue(t.state().weightsPending);
        t.applyPendingWeights();
        assertEquals(t.arrivals(), t.state().weightsAt);
    }

    /** A trainer of the experiment's model with importance-corrected sampling and default settings. */
    private static Trainer correctedTrainer(Experiment ex, LossWeightPolicy loss, SamplingPolicy sampling) {
        return Trainer.create(new TrainerSettings(ex.modelSpec(), new WeightSettings(loss, sampling, ImportanceMode.CORRECTED)));
    }

    /**
     * A backlog read faster than its summaries come back: every arrival first, then the domains'
     * summaries one by one, the first of which solves FGLS on its own domain alone. The end of
     * input must solve FGLS again on all of them, though no arrival came since that solve.
     */
    @Test
    void finishInputSolvesFglsOnSummariesThatCameAfterTheLastArrival() {
        Experiment ex = Experiment.named("linear-noise", 5);
        Trainer t = correctedTrainer(ex, LossWeightPolicy.FGLS, SamplingPolicy.PROPORTIONAL);
        arrivalsThenSummaries(t, ex, 4_000, true);
        t.finishInput();
        double[] lambda = t.lossWeights();
        double ratio = Math.max(lambda[0], lambda[1]) / Math.min(lambda[0], lambda[1]);
        assertTrue(ratio > 5, "FGLS λ from both domains' summaries (the noise differs 20×): " + java.util.Arrays.toString(lambda));
    }

    /**
     * A backlog whose statistics run ahead of the trainer: the summaries come back (and λ is
     * recomputed) before the trainer's last arrivals. ERMA's losses are the trainer's own scores,
     * so the end of input must recompute λ from the final windows, though no summary is pending.
     */
    @Test
    void finishInputRecomputesErmaWeightsFromArrivalsAfterTheLastSummary() {
        Experiment ex = Experiment.named("linear-noise", 5);
        Trainer t = correctedTrainer(ex, LossWeightPolicy.ERMA, SamplingPolicy.VA);
        Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(1), 1);
        DomainStatistics[] stats = {DomainStatistics.create(5, false, false), DomainStatistics.create(5, false, false)};
        for (int i = 0; i < 6_400; i++) {
            int k = arrivals.nextDomain();
            Example e = arrivals.next(k);
            stats[k].observe(e);
            t.onExample(e);
            if (i == 399) { // the statistics' summaries, ahead of the trainer: λ rests on about 200 arrivals a domain
                t.onDomainStats(stats[0].summary("d1"));
                t.onDomainStats(stats[1].summary("d2"));
                t.applyPendingWeights();
            }
        }
        double[] stale = t.lossWeights().clone();
        t.finishInput();
        assertEquals(t.arrivals(), t.state().weightsAt, "recomputed at the last arrival");
        double[] lambda = t.lossWeights();
        double[] loss = t.lossEstimates();
        assertEquals(loss[1] / loss[0], lambda[0] / lambda[1], 1e-9 * lambda[0] / lambda[1],
                "λ ∝ 1/L̄ of the final windows; before the end: " + java.util.Arrays.toString(stale));
        assertNotEquals(stale[0] / stale[1], lambda[0] / lambda[1], 1e-3 * lambda[0] / lambda[1]);
    }
}
