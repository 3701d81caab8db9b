package io.domainmix.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.stats.DomainStats;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.train.TrainerState;
import io.domainmix.core.weights.rules.Exp3Sampling;
import io.domainmix.core.weights.rules.ForgettingFglsLossWeights;
import io.domainmix.core.weights.rules.GroupDroLossWeights;
import io.domainmix.core.weights.rules.TemperatureSampling;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The baselines (temperature, groupdro, exp3) and forgetting FGLS: hand-computed examples, invariants, restores. */
class BaselineRulesTest {
    private static final String[] TWO = {"d1", "d2"};
    private static final long[] MANY = {1000, 1000};
    private static final double[] NONE = {Double.NaN, Double.NaN};

    private static WeightSettings settings(String loss, String sampling) {
        return new WeightSettings(LossWeightPolicy.parse(loss), SamplingPolicy.parse(sampling), ImportanceMode.CORRECTED);
    }

    private static WeightInputs inputs(double[] share, double[] loss, long arrivals) {
        return new WeightInputs(TWO, share, MANY, loss, NONE, NONE, arrivals);
    }

    @Test
    void temperatureTwoSamplesBySquareRootsOfTheShares() {
        WeightSettings s = settings("uniform", "temperature");
        DomainWeights w = WeightCalculator.compute(s, inputs(new double[] {0.8, 0.2}, NONE, 0),
                RuleState.inMemory(), RuleState.inMemory());
        // √0.8 : √0.2 = 2 : 1
        assertEquals(2.0 / 3, w.samplingProbability[0], 1e-15);
        assertEquals(1.0 / 3, w.samplingProbability[1], 1e-15);
        assertEquals(0.8 / (2.0 / 3), w.importanceWeight[0], 1e-12, "w = πλ/p");
        s.set(TemperatureSampling.TEMPERATURE, 1.0);
        DomainWeights proportional = WeightCalculator.compute(s, inputs(new double[] {0.8, 0.2}, NONE, 0),
                RuleState.inMemory(), RuleState.inMemory());
        assertEquals(0.8, proportional.samplingProbability[0], 1e-15, "T = 1 is proportional sampling");
    }

    @Test
    void groupDroAscendsOnTheLossesAndKeepsItsWeightsAsState() {
        WeightSettings s = settings("groupdro", "proportional").set(GroupDroLossWeights.STEP, 0.1);
        RuleState state = RuleState.inMemory();
        double[] share = {0.5, 0.5};
        double[] loss = {1.0, 2.0};
        // 10 arrivals: log q = 0.1 · 10 · (1, 2) = (1, 2); λ = q/π normalised to Σπλ = 1, i.e. λ = 2q
        DomainWeights w = WeightCalculator.compute(s, inputs(share, loss, 10), state, RuleState.inMemory());
        double z = Math.exp(1) + Math.exp(2);
        assertEquals(2 * Math.exp(1) / z, w.lossWeight[0], 1e-12);
        assertEquals(2 * Math.exp(2) / z, w.lossWeight[1], 1e-12);
        // 10 more: log q = (2, 4)
        DomainWeights again = WeightCalculator.compute(s, inputs(share, loss, 20), state, RuleState.inMemory());
        double z2 = Math.exp(2) + Math.exp(4);
        assertEquals(2 * Math.exp(4) / z2, again.lossWeight[1], 1e-12, "the q's carried over");
        assertEquals(again.lossWeight[0], again.importanceWeight[0], 1e-15, "proportional: w = πλ/π = λ");
    }

    @Test
    void exp3RewardsTheHigherLossAndExploresWithGamma() {
        WeightSettings s = settings("uniform", "exp3").set(Exp3Sampling.EXPLORATION, 0.1);
        RuleState state = RuleState.inMemory();
        DomainWeights w = WeightCalculator.compute(s, inputs(new double[] {0.5, 0.5}, new double[] {1.0, 2.0}, 10),
                RuleState.inMemory(), state);
        // rewards (1/2, 1); 10 rounds at γ/K = 0.05: log w = (0.25, 0.5)
        double q1 = Math.exp(0.25) / (Math.exp(0.25) + Math.exp(0.5));
        double exp3 = 0.9 * q1 + 0.1 / 2;
        double mixed = 0.95 * exp3 + 0.05 * 0.5;
        assertEquals(mixed, w.samplingProbability[0], 1e-12);
        assertEquals(1 - mixed, w.samplingProbability[1], 1e-12);
        assertEquals(0.5 / mixed, w.importanceWeight[0], 1e-12, "w = πλ/p");
    }

    static Stream<String> baselineGrid() {
        return Stream.of("groupdro+proportional", "uniform+temperature", "uniform+exp3", "groupdro+exp3");
    }

    /** Random inputs, K = 1..6: p sums to 1, every domain keeps at least ε of its share, λ is normalised and clipped. */
    @ParameterizedTest
    @MethodSource("baselineGrid")
    void invariantsHoldOnRandomInputs(String policy) {
        String[] parts = policy.split("\\+");
        WeightSettings s = settings(parts[0], parts[1]).set(GroupDroLossWeights.STEP, 0.05);
        SplitMix64 rng = new SplitMix64(7);
        RuleState lossState = RuleState.inMemory();
        RuleState samplingState = RuleState.inMemory();
        long arrivals = 0;
        for (int round = 0; round < 300; round++) {
            int k = 6;
            String[] domains = new String[k];
            double[] share = new double[k];
            double[] loss = new double[k];
            long[] count = new long[k];
            double total = 0;
            for (int i = 0; i < k; i++) {
                domains[i] = "d" + i;
                share[i] = 0.01 + rng.nextDouble();
                total += share[i];
                loss[i] = Math.exp(6 * rng.nextDouble() - 3);
                count[i] = rng.nextInt(3) == 0 ? 50 : 5000; // some domains without an estimate yet
            }
            for (int i = 0; i < k; i++) {
                share[i] /= total;
            }
            arrivals += rng.nextInt(2000);
            DomainWeights w = WeightCalculator.compute(s, new WeightInputs(domains, share, count, loss,
                    new double[k], new double[k], arrivals), lossState, samplingState);
            double sumP = 0;
            double z = 0;
            double max = 0;
            double min = Double.MAX_VALUE;
            for (int i = 0; i < k; i++) {
                sumP += w.samplingProbability[i];
                z += share[i] * w.lossWeight[i];
                max = Math.max(max, w.lossWeight[i]);
                min = Math.min(min, w.lossWeight[i]);
                assertTrue(w.samplingProbability[i] > 0, policy + ": domain " + i + " starves");
                if (s.samplingRule().mixedWithShares()) {
                    assertTrue(w.samplingProbability[i] >= s.epsilon * share[i] * (1 - 1e-12),
                            policy + ": p below ε π for domain " + i);
                }
            }
            assertEquals(1.0, sumP, 1e-12, policy + ": Σ p");
            assertEquals(1.0, z, 1e-12, policy + ": Σ π λ");
            assertTrue(max / min <= s.kappa * (1 + 1e-12), policy + ": κ");
        }
    }

    /** The forgotten statistics equal statistics built with the decay weights directly: a chunk 2 half-lives old counts 1/4. */
    @Test
    void forgettingFglsWeighsEachSummaryIntervalByItsAge() {
        WeightSettings s = settings("fgls-forgetting", "proportional").set(ForgettingFglsLossWeights.HALF_LIFE, 100.0);
        LossWeightRule rule = s.lossRule();
        RuleState state = RuleState.inMemory();
        SplitMix64 rng = new SplitMix64(3);
        DomainStatistics stats = DomainStatistics.create(3, true, true);
        FglsStatistics direct = new FglsStatistics(3, true);
        double[][] xs = new double[400][];
        double[] ys = new double[400];
        FglsStatistics previous = null;
        for (int i = 0; i < 400; i++) {
            xs[i] = new double[] {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            ys[i] = xs[i][0] - xs[i][2] + rng.nextGaussian();
            stats.observe(new Example("d", xs[i], ys[i]));
            if (i == 199 || i == 399) {
                DomainStats summary = stats.summary("d");
                rule.onSummary(0, summary, previous, s, state);
                previous = summary.fgls;
            }
        }
        for (int i = 0; i < 400; i++) {
            direct.add(xs[i], ys[i], i < 200 ? 0.25 : 1.0); // the first 200 are 200 examples (two half-lives) old
        }
        FglsStatistics forgotten = rule.fglsStatistics(0, previous, s, state);
        assertArrayEquals(direct.gram, forgotten.gram, 1e-9);
        assertArrayEquals(direct.xty, forgotten.xty, 1e-9);
        assertEquals(direct.yy, forgotten.yy, 1e-9);
        assertEquals(250, forgotten.n, "the decayed count, 200/4 + 200");
    }

    /**
     * d2's noise jumps from σ² = 1 to 20 after 25,000 of its examples (linear, d = 20, equal
     * arrival, a summary every 1,000 examples of a domain): forgetting FGLS's λ_d2 comes within
     * 20 % of the new GLS weight, and stays there, within 5,000 examples of d2 (3 seeds);
     * cumulative FGLS is still far above it at the end, 25,000 examples of d2 later.
     */
    @Test
    void forgettingFglsFollowsAChangeOfNoiseThatCumulativeFglsAverages() {
        double gls2 = 0.1 / 1.05; // GLS with σ² = (1, 20) and equal shares: λ = (2/1.05, 0.1/1.05)
        for (long seed = 1; seed <= 3; seed++) {
            long lag = examplesUntilWithin(loss("fgls-forgetting"), seed, gls2);
            long cumulative = examplesUntilWithin(loss("fgls"), seed, gls2);
            System.out.printf("noise jump, seed %d: λ_d2 within 20%% of GLS after %d examples of d2 (forgetting FGLS), "
                    + "%s (cumulative)%n", seed, lag, cumulative < 0 ? "never" : cumulative);
            assertTrue(lag >= 0 && lag <= 5_000, "forgetting FGLS: " + lag);
            assertEquals(-1, cumulative, "cumulative FGLS averages the old noise in");
        }
    }

    private static WeightSettings loss(String name) {
        return settings(name, "va");
    }

    /** Examples of d2 after the jump from which on λ_d2 stays within 20 % of {@code target}; −1 if it is not there at the end. */
    private static long examplesUntilWithin(WeightSettings w, long seed, double target) {
        int d = 20;
        GroundTruth truth = GroundTruth.draw(ModelType.LINEAR, d, 0, seed);
        SyntheticDomain d1 = new SyntheticDomain(DomainSpec.regression("d1", 1, 1), truth, false, seed);
        SyntheticDomain d2Before = new SyntheticDomain(DomainSpec.regression("d2", 1, 1), truth, false, seed);
        SyntheticDomain d2After = new SyntheticDomain(DomainSpec.regression("d2", 1, 20), truth, false, seed + 100);
        TrainerSettings ts = new TrainerSettings(io.domainmix.core.model.ModelSpec.linear(d, false), w);
        ts.seed = seed;
        Trainer t = Trainer.create(ts);
        DomainStatistics[] stats = {DomainStatistics.create(d, false, true), DomainStatistics.create(d, false, true)};
        long settledFrom = -1;
        for (int i = 0; i < 100_000; i++) {
            int k = i % 2;
            Example e = k == 0 ? d1.next() : (i < 50_000 ? d2Before : d2After).next();
            stats[k].observe(e);
            t.onExample(e);
            if (stats[k].count % 1000 == 0) {
                t.onDomainStats(stats[k].summary(e.domain));
            }
            if (k == 1 && i >= 50_000) {
                boolean within = Math.abs(t.lossWeights()[1] - target) <= 0.2 * target;
                if (!within) {
                    settledFrom = -1;
                } else if (settledFrom < 0) {
                    settledFrom = stats[1].count - 25_000;
                }
            }
        }
        return settledFrom;
    }

    /** A restore continues bit for bit, the rules' own state included. */
    @ParameterizedTest
    @MethodSource("restoreGrid")
    void aRestoredTrainerContinuesBitForBit(String policy) {
        String[] parts = policy.split("\\+");
        int d = 5;
        TrainerSettings ts = new TrainerSettings(io.domainmix.core.model.ModelSpec.linear(d, false), settings(parts[0], parts[1]));
        Trainer straight = Trainer.create(ts);
        Trainer first = Trainer.create(ts);
        Feed a = new Feed(d);
        Feed b = new Feed(d);
        for (int i = 0; i < 6000; i++) {
            a.next(straight);
            b.next(first);
        }
        TrainerState copy = deepCopy(first.state());
        Trainer restored = new Trainer(ts, copy);
        for (int i = 0; i < 6000; i++) {
            a.next(straight);
            b.next(restored);
        }
        assertArrayEquals(straight.theta(), restored.theta(), 0.0, policy);
        assertArrayEquals(straight.lossWeights(), restored.lossWeights(), 0.0, policy);
        assertArrayEquals(straight.samplingProbabilities(), restored.samplingProbabilities(), 0.0, policy);
        TrainerState x = straight.state();
        TrainerState y = restored.state();
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(x.domainStates[k].lossRuleState, y.domainStates[k].lossRuleState, 0.0);
            assertArrayEquals(x.domainStates[k].samplingRuleState, y.domainStates[k].samplingRuleState, 0.0);
        }
        assertTrue(policy.contains("temperature") || x.domainStates[0].lossRuleState != null
                || x.domainStates[0].samplingRuleState != null, policy + " kept state");
    }

    static Stream<String> restoreGrid() {
        return Stream.of("groupdro+proportional", "uniform+temperature", "uniform+exp3", "fgls-forgetting+va");
    }

    /** Two domains of different noise, with their statistics summaries every 500 examples of a domain. */
    private static final class Feed {
        final SyntheticDomain[] domains;
        final DomainStatistics[] stats;
        int i;

        Feed(int d) {
            GroundTruth truth = GroundTruth.draw(ModelType.LINEAR, d, 0, 5);
            domains = new SyntheticDomain[] {new SyntheticDomain(DomainSpec.regression("d1", 1, 1), truth, false, 5),
                    new SyntheticDomain(DomainSpec.regression("d2", 4, 20), truth, false, 5)};
            stats = new DomainStatistics[] {DomainStatistics.create(d, false, true), DomainStatistics.create(d, false, true)};
        }

        void next(Trainer t) {
            int k = i++ % 3 == 0 ? 1 : 0;
            Example e = domains[k].next();
            stats[k].observe(e);
            t.onExample(e);
            if (stats[k].count % 500 == 0) {
                t.onDomainStats(stats[k].summary(e.domain));
            }
        }
    }

    /** A copy sharing no array or object with the original, transient fields (the rings) included. */
    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        try {
            Class<?> c = v.getClass();
            if (c.isArray()) {
                int n = Array.getLength(v);
                Object out = Array.newInstance(c.getComponentType(), n);
                for (int i = 0; i < n; i++) {
                    Array.set(out, i, deepCopy(Array.get(v, i)));
                }
                return (T) out;
            }
            Object out = c.getConstructor().newInstance();
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                    f.set(out, deepCopy(f.get(v)));
                }
            }
            return (T) out;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
