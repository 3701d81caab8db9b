package io.domainmix.core.train;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsEstimator;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.health.HealthEvent;
import io.domainmix.core.health.HealthMonitor;
import io.domainmix.core.model.Model;
import io.domainmix.core.rng.SplitMix64;
import io.domainmix.core.stats.BiasCorrectedEma;
import io.domainmix.core.stats.DecayedCounts;
import io.domainmix.core.stats.DomainStats;
import io.domainmix.core.stats.WindowedMean;
import io.domainmix.core.weights.DomainWeights;
import io.domainmix.core.weights.GradientNoise;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightRule;
import io.domainmix.core.weights.RuleState;
import io.domainmix.core.weights.WeightCalculator;
import io.domainmix.core.weights.WeightInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The online training algorithm of one run (ALGORITHMS.md §3–5), over a {@link TrainerState}
 * that it reads and mutates in place:
 * <ol>
 *   <li>every arrival is first scored, before anything is trained on it (prequential): its loss
 *       under a copy of θ̄ refreshed every S steps (ERMA's L̄_k) and its ‖∇ℓ‖² under the
 *       current iterate θ (VA's M_k), each folded into the domain's {@link WindowedMean};
 *       an arrival whose loss or gradient is not finite is counted and goes no further;</li>
 *   <li>it is counted (decayed counts give the shares π; a ring of the last N arrivals' domains
 *       gives the arrival mix) and buffered in its domain's ring of the newest R examples;</li>
 *   <li>every B/r arrivals one step of B slots: per slot a domain k ~ p among those with
 *       buffered examples (for B &gt; 1 stratified by default: ⌊B·p_k⌋ slots for k and the
 *       rest by systematic sampling, {@link SlotDraws}), an example from its buffer, and weight its gradient by
 *       w_k = π_k λ_k / p_k (corrected) or λ_k (conflated); then
 *       θ ← θ − η_t (1/B) Σ w ∇ℓ, skipped whole if anything is not finite;</li>
 *   <li>on every statistics summary (exact counts and the FGLS sufficient statistics, from the
 *       statistics operator), λ and p are recomputed with the configured policies (FGLS
 *       re-solved every {@code fglsInterval} arrivals, and each time the arrivals double before that).</li>
 * </ol>
 * Scoring here rather than in the parallel statistics operator bounds the staleness of the
 * scores by construction: the operator would score under a snapshot read back through Kafka,
 * which on a backlog replay arrives only after the whole backlog has been scored under θ₀.
 * The same class runs in the reference simulator and in the Flink trainer operator, which is
 * why the job reaches the simulator's quality. Not thread-safe.
 */
public final class Trainer {
    private final TrainerSettings settings;
    private final Model model;
    private final double gamma;
    private TrainerState s;
    private SplitMix64 rng;
    /** Derived from {@code s.domains}; not state. */
    private final Map<String, Integer> indexByDomain = new HashMap<>();
    /** Reports changes in the domains; its memory is in each domain's state. */
    private final HealthMonitor health;
    /** The rules' views of their state in {@code s}; not state. */
    private final RuleState lossRuleState = new RuleStateView(true);
    private final RuleState samplingRuleState = new RuleStateView(false);
    /** Domains whose ring changed since {@link #drainChangedBuffers()}; not state. */
    private final java.util.BitSet changedBuffers = new java.util.BitSet();
    /** The slots' domain draws, derived from p and the buffers; not state. */
    private final DomainSampler sampler = new DomainSampler();

    // scratch, never part of the state
    private final double[] gradient;
    private final double[] stepDirection;
    private final double[] slotFeatures;
    private final int[] slotDomains;
    private final int dim;

    public Trainer(TrainerSettings settings, TrainerState state) {
        settings.validate();
        this.settings = settings;
        this.model = settings.model.create();
        this.gamma = DecayedCounts.decayFactor(settings.shareHalfLife);
        this.dim = settings.model.dimension();
        this.gradient = new double[model.parameterCount()];
        this.stepDirection = new double[model.parameterCount()];
        this.slotFeatures = new double[dim];
        this.slotDomains = new int[settings.batchSize];
        this.health = new HealthMonitor(settings.healthFactor, settings.healthWindow, settings.healthMinSilence);
        attach(state);
    }

    private static final int STEP_SIZE_REFRESH = 1000;

    /** A trainer over a fresh state: θ₀ from the seed, no domains yet. */
    public static Trainer create(TrainerSettings settings) {
        return new Trainer(settings, newState(settings));
    }

    public static TrainerState newState(TrainerSettings settings) {
        TrainerState st = new TrainerState();
        Model m = settings.model.create();
        st.theta = m.initialParameters(SplitMix64.derive(settings.seed, "init"));
        st.velocity = new double[st.theta.length];
        st.average = st.theta.clone();
        st.windowAverage = st.theta.clone();
        st.rngState = SplitMix64.derive(settings.seed, "trainer");
        st.scoringTheta = st.theta.clone();
        if (settings.uniformReferenceEnabled()) {
            st.uniformReference = UniformReferenceModel.startingAt(st.theta);
        }
        int bins = (int) Math.min(settings.maxStalenessSteps, STALENESS_BINS);
        st.lagBinWidth = (settings.maxStalenessSteps + bins - 1) / bins;
        st.lagHistogram = new long[bins];
        st.recentDomains = new int[settings.arrivalMixWindow];
        return st;
    }

    /** Bins of the staleness histogram: exact lags up to this S, coarser bins beyond. */
    static final int STALENESS_BINS = 1024;

    /** Continues from another state (e.g. one restored from a checkpoint). */
    public void attach(TrainerState state) {
        this.s = state;
        if (!settings.uniformReferenceEnabled()) {
            // a state written under other settings (e.g. before the reference was chosen by model
            // family) must not keep ERMA scoring under a model these settings do not train
            state.uniformReference = null;
        } else if (state.uniformReference == null) {
            state.uniformReference = UniformReferenceModel.startingAt(state.theta);
            refreshStepSize();
        }
        changedBuffers.clear();
        sampler.invalidate();
        this.rng = new SplitMix64(state.rngState);
        indexByDomain.clear();
        for (int i = 0; i < state.domains.length; i++) {
            indexByDomain.put(state.domains[i], i);
        }
    }

    private void markChanged(int k) {
        changedBuffers.set(k);
    }

    /**
     * The indices of the domains whose ring ({@link DomainTrainerState#ring}) changed since the last
     * call, in increasing order; clears the record. A state backend that keeps each ring under
     * its own key writes only these at a checkpoint.
     */
    public int[] drainChangedBuffers() {
        int[] out = changedBuffers.stream().toArray();
        changedBuffers.clear();
        return out;
    }

    /** The state, with the generator position written back: what a checkpoint stores. */
    public TrainerState state() {
        s.rngState = rng.state();
        return s;
    }

    public TrainerSettings settings() {
        return settings;
    }

    public Model model() {
        return model;
    }

    // ------------------------------------------------------------------ arrivals and steps

    /**
     * One arriving example: counted, buffered, and as many steps taken as the ratio r allows.
     * The example must be valid (finite, right dimension): the job's validation guarantees it.
     *
     * @return the number of steps taken (0 or more)
     */
    public int onExample(Example e) {
        int k = domainIndex(e.domain);
        DomainTrainerState d = s.domainStates[k];
        if (!score(d, e)) {
            d.nonFiniteCount++;
            return 0;
        }
        long now = ++s.arrivals;
        d.decayedCount = DecayedCounts.decayed(d.decayedCount, d.decayedAt, now, gamma) + 1.0;
        d.decayedAt = now;
        d.arrivalCount++;
        double x2 = 0;
        for (double v : e.x) {
            x2 += v * v;
        }
        d.featureRaw = BiasCorrectedEma.update(d.featureRaw, settings.emaBeta, x2);
        if (d.arrivalCount == 1 || (s.weightsPending && now - s.weightsAt >= s.domains.length)) {
            recomputeWeights(); // a new domain gets its share, weights and step size before its first draw
        } else if (now % STEP_SIZE_REFRESH == 0) {
            refreshStepSize();
        }
        long reported = health.count();
        health.onArrival(e.domain, d.health, d.arrivalCount, now, s.step, s.lossWeight[k]);
        s.healthEvents += health.count() - reported;
        buffer(k, d, e);
        recordArrivalMix(k, d);

        int steps = 0;
        s.stepCredit += settings.stepsPerArrival;
        while (s.stepCredit >= settings.batchSize) {
            s.stepCredit -= settings.batchSize;
            takeStep();
            steps++;
        }
        return steps;
    }

    /**
     * The prequential scores of an arrival: w·ℓ under the scoring copy of θ̄ (refreshed first when
     * it is S steps old) and w²‖∇ℓ‖² under θ. Returns false, recording nothing, when either is not
     * finite.
     */
    private boolean score(DomainTrainerState d, Example e) {
        long lag = s.step - s.scoringStep;
        if (lag >= settings.maxStalenessSteps) {
            double[] published = averagedTheta();
            System.arraycopy(published, 0, s.scoringTheta, 0, published.length);
            s.scoringStep = s.step;
            lag = 0;
        }
        UniformReferenceModel reference = s.uniformReference;
        double loss = e.weight * model.loss(reference != null ? reference.scoringParameters() : s.scoringTheta, e.x, e.y);
        double iterateLoss = e.weight * model.lossAndGradient(s.theta, e.x, e.y, gradient);
        double g2 = 0;
        for (double g : gradient) {
            g2 += g * g;
        }
        g2 *= e.weight * e.weight;
        if (!Double.isFinite(loss) || !Double.isFinite(g2)) {
            return false;
        }
        if (Double.isFinite(iterateLoss)) {
            BurnIn.record(s, iterateLoss);
        }
        if (reference != null) {
            reference.train(model, e.x, e.y, e.weight, reference.stepSize, gradient); // after scoring: prequential
        }
        d.lossMean.add(loss, settings.statsWindowMax);
        d.gradientMean.add(g2, settings.statsWindowMax);
        int bin = (int) Math.min(lag / s.lagBinWidth, s.lagHistogram.length - 1);
        s.lagHistogram[bin]++;
        s.lagMax = Math.max(s.lagMax, lag);
        return true;
    }

    /** The last N arrivals' domains in a ring, with a count per domain kept in step. */
    private void recordArrivalMix(int k, DomainTrainerState d) {
        int[] ring = s.recentDomains;
        if (s.recentFilled == ring.length) {
            s.domainStates[ring[s.recentNext]].recentCount--;
        } else {
            s.recentFilled++;
        }
        ring[s.recentNext] = k;
        d.recentCount++;
        s.recentNext = s.recentNext + 1 == ring.length ? 0 : s.recentNext + 1;
    }

    private void buffer(int k, DomainTrainerState d, Example e) {
        int slot = d.bufferNext;
        DomainBuffer b = d.ring;
        System.arraycopy(e.x, 0, b.x, slot * dim, dim);
        b.y[slot] = e.y;
        b.weight[slot] = e.weight;
        markChanged(k);
        if (d.bufferSize == 0) {
            sampler.invalidate(); // the domain can be drawn from now on
        }
        d.bufferNext = (slot + 1) % d.bufferCapacity;
        if (d.bufferSize < d.bufferCapacity) {
            d.bufferSize++;
        }
        // when unused examples fill the ring, the oldest of them is the one just overwritten
        d.bufferUnused = Math.min(d.bufferUnused + 1, d.bufferSize);
    }

    /**
     * The ring position a slot of domain k uses: the oldest example no slot has drawn yet; when
     * every buffered example has been used, the next one of a cursor that walks the ring from
     * oldest to newest, so that reuses spread evenly over the examples (k drawn more often than
     * it arrives reuses each example about p_k/π_k − 1 more times, not a Poisson number of
     * times). Which example, not which domain: the domain was drawn with probability p, every
     * example of the ring comes from k's distribution, and over a pass of the cursor each is
     * taken once, so E[ĝ] is the same as with uniform draws from the ring.
     */
    private int drawExample(DomainTrainerState d) {
        d.drawCount++;
        if (!settings.freshFirst) {
            return rng.nextInt(d.bufferSize);
        }
        int unused = d.bufferUnused;
        if (unused > 0) {
            d.bufferUnused = unused - 1;
            d.freshDrawCount++;
            return Math.floorMod(d.bufferNext - unused, d.bufferCapacity);
        }
        int size = d.bufferSize;
        int c = d.reuseNext % size;
        d.reuseNext = c + 1;
        return Math.floorMod(d.bufferNext - size + c, d.bufferCapacity);
    }

    /** One SGD step of B slots. */
    private void takeStep() {
        if (!accumulateSlots()) {
            return;
        }
        if (!Double.isFinite(slotNoiseSum) || !Double.isFinite(slotLossSum)) {
            s.skippedUpdates++;
            return;
        }
        int b = settings.batchSize;
        double noiseSum = slotNoiseSum;
        double lossSum = slotLossSum;
        double eta = scheduledStepSize();
        if (!(eta > 0) || !Double.isFinite(eta)) {
            s.skippedUpdates++;
            return;
        }
        double scale = eta / b;
        double mu = settings.momentum;
        for (int j = 0; j < stepDirection.length; j++) {
            double v = mu * s.velocity[j] + stepDirection[j];
            double next = s.theta[j] - scale * v;
            if (!Double.isFinite(next)) {
                s.skippedUpdates++;
                return; // checked before anything is written: a skipped step leaves θ untouched
            }
            stepDirection[j] = v; // keep for the commit below
        }
        for (int j = 0; j < stepDirection.length; j++) {
            s.velocity[j] = mu > 0 ? stepDirection[j] : 0.0;
            s.theta[j] -= scale * stepDirection[j];
        }
        s.step++;
        s.stepSize = eta;
        double beta = settings.emaBeta;
        s.noiseCount++;
        s.noiseRaw = BiasCorrectedEma.update(s.noiseRaw, beta, noiseSum / b);
        s.trainingLossRaw = BiasCorrectedEma.update(s.trainingLossRaw, beta, lossSum / b);
        s.noiseWindowSum += noiseSum;
        s.noiseWindowCount += b;
        updateAverage();
        if (BurnIn.stillFalling(s) && settings.burnInRestarts) {
            // the window before the one just closed was still burn-in: keep only the newest window
            System.arraycopy(s.windowAverage, 0, s.average, 0, s.average.length);
            s.averageCount = s.windowAverageCount;
        }
        if (Long.bitCount(s.step) == 1) {
            s.windowAverageCount = 0;
        }
    }

    private double slotNoiseSum;
    private double slotLossSum;
    /** Whether domain i has buffered examples: one object, not a capturing lambda per step. */
    private final java.util.function.IntPredicate hasBufferedExamples = i -> s.domainStates[i].bufferSize > 0;

    /**
     * Draws B slots and sums their weighted gradients Σ w ∇ℓ into {@code stepDirection}, with
     * Σ ‖w∇ℓ‖² and Σ w ℓ in {@code slotNoiseSum} / {@code slotLossSum}. Returns false when no
     * domain has buffered examples.
     */
    private boolean accumulateSlots() {
        int k = s.domains.length;
        sampler.rebuildIfStale(s.samplingProbability, hasBufferedExamples);
        double total = sampler.total();
        boolean byShares = sampler.isEmpty();
        if (byShares) {
            // no probability mass on domains with data (e.g. before the first weights): use π
            for (int i = 0; i < k; i++) {
                if (s.domainStates[i].bufferSize > 0) {
                    total += s.domainStates[i].decayedCount;
                }
            }
            if (!(total > 0)) {
                return false;
            }
        }
        Arrays.fill(stepDirection, 0.0);
        double noiseSum = 0;
        double lossSum = 0;
        double[] x = slotFeatures;
        boolean stratified = !byShares && settings.batchSize > 1 && settings.slotDraws == SlotDraws.STRATIFIED;
        if (stratified) {
            sampler.drawSlots(settings.batchSize, rng, slotDomains);
        }
        for (int slot = 0; slot < settings.batchSize; slot++) {
            int d = byShares ? drawDomainByShares(total) : stratified ? slotDomains[slot] : sampler.draw(rng);
            // p renormalized over the domains that have data (w = πλ/(p/total)), so that E[ĝ]
            // stays ∇L_λ over them; drawing by shares is proportional sampling, w = λ
            double w = byShares || settings.weights.mode == ImportanceMode.CONFLATED ? s.lossWeight[d]
                    : s.importanceWeight[d] * total;
            DomainTrainerState ds = s.domainStates[d];
            int i = drawExample(ds);
            DomainBuffer b = ds.ring;
            System.arraycopy(b.x, i * dim, x, 0, dim);
            double wi = w * b.weight[i];
            double loss = model.lossAndGradient(s.theta, x, b.y[i], gradient);
            double g2 = 0;
            for (int j = 0; j < gradient.length; j++) {
                double g = wi * gradient[j];
                stepDirection[j] += g;
                g2 += g * g;
            }
            noiseSum += g2;
            lossSum += wi * loss;
        }
        slotNoiseSum = noiseSum;
        slotLossSum = lossSum;
        return true;
    }

    /**
     * One draw of the step's gradient estimate ĝ = (1/B) Σ w ∇ℓ at the current θ, without
     * applying it (consumes random numbers like a step). Null when no domain has data.
     * For tests of unbiasedness and for diagnostics.
     */
    public double[] sampleGradient() {
        if (!accumulateSlots()) {
            return null;
        }
        double[] g = stepDirection.clone();
        for (int j = 0; j < g.length; j++) {
            g[j] /= settings.batchSize;
        }
        return g;
    }

    /** A domain with examples, with probability by its decayed count: O(K), only before the first weights. */
    private int drawDomainByShares(double total) {
        double u = rng.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < s.domains.length; i++) {
            if (s.domainStates[i].bufferSize == 0) {
                continue;
            }
            last = i;
            u -= s.domainStates[i].decayedCount;
            if (u < 0) {
                return i;
            }
        }
        return last;
    }

    /** η_t = η₀ / (1 + t/τ). */
    private double scheduledStepSize() {
        double base = s.baseStepSize;
        return Double.isInfinite(settings.stepDecay) ? base : base / (1.0 + s.step / settings.stepDecay);
    }

    /**
     * η₀: the given step size, or c / max_k w_k · curvature_k(E_k‖x‖²), which keeps every
     * weighted per-example step contractive. Refreshed with the weights and every
     * {@value #STEP_SIZE_REFRESH} arrivals (E‖x‖² moves slowly; reading it per step would cost
     * K exponentials a step).
     */
    private void refreshStepSize() {
        if (!Double.isNaN(settings.stepSize)) {
            s.baseStepSize = settings.stepSize;
            if (s.uniformReference != null) {
                s.uniformReference.stepSize = settings.stepSize;
            }
            return;
        }
        double worst = 0;
        double worstUnweighted = 0;
        for (int k = 0; k < s.domains.length; k++) {
            DomainTrainerState d = s.domainStates[k];
            if (d.arrivalCount == 0) {
                continue;
            }
            double ex2 = BiasCorrectedEma.read(d.featureRaw, settings.emaBeta, d.arrivalCount);
            double curvature = model.curvatureBound(ex2);
            worstUnweighted = Math.max(worstUnweighted, curvature);
            double w = s.importanceWeight[k];
            if (w > 0) {
                worst = Math.max(worst, w * curvature);
            }
        }
        s.baseStepSize = worst > 0 ? settings.stepSizeFactor / worst : 0.0;
        if (s.uniformReference != null) {
            s.uniformReference.stepSize = worstUnweighted > 0 ? settings.stepSizeFactor / worstUnweighted : 0.0;
        }
    }

    /**
     * Polyak–Ruppert averaging of every step since the average (re)started:
     * θ̄_n = θ̄_{n−1} + (θ_n − θ̄_{n−1}) / n. With a constant step and examples each used about
     * equally often, the average of the whole trajectory is asymptotically efficient
     * (Polyak–Juditsky; Bach–Moulines for least squares). Averaging only a suffix throws steps
     * away: the newest half to three quarters (doubling windows) measured 1.3–1.5× the error of
     * this, the newest 7/8 to 15/16 1.1× (BENCHMARKS.md, "Streaming efficiency"). Beside it, the
     * mean since the last doubling point of the step count, for a {@link BurnIn} restart.
     */
    private void updateAverage() {
        if (s.windowAverage == null) {
            s.windowAverage = new double[s.theta.length];
        }
        addToMean(s.average, ++s.averageCount, s.theta);
        addToMean(s.windowAverage, ++s.windowAverageCount, s.theta);
    }

    private static void addToMean(double[] mean, long n, double[] x) {
        if (n == 1) {
            System.arraycopy(x, 0, mean, 0, mean.length);
            return;
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] += (x[j] - mean[j]) / n;
        }
    }

    /**
     * θ̄: the model to publish and serve (θ itself when averaging is off or no step yet), the
     * running mean of the iterates since the average started. Read-only; valid until the next
     * call.
     */
    public double[] averagedTheta() {
        if (!settings.averaging || s.step == 0) {
            return s.theta;
        }
        return s.average; // after a restart, the previous average until the next step
    }

    public double[] theta() {
        return s.theta;
    }

    // ------------------------------------------------------------------ statistics and weights

    /**
     * A statistics summary of one domain: stored, then λ and p recomputed — at once, unless
     * fewer than K arrivals have passed since the last recomputation; then with the K-th. A
     * recomputation costs O(K), and with thousands of domains their summaries come thousands a
     * second, so this keeps it O(1) per arrival; with a few domains summaries are hundreds of
     * arrivals apart and nothing waits. {@link #applyPendingWeights()} recomputes at once.
     */
    public void onDomainStats(DomainStats stats) {
        int k = domainIndex(stats.domain);
        DomainTrainerState d = s.domainStates[k];
        settings.weights.lossRule().onSummary(k, stats, d.fgls, settings.weights, lossRuleState);
        d.statsCount = stats.count;
        if (stats.fgls != null) {
            d.fgls = stats.fgls;
        }
        if (s.arrivals - s.weightsAt >= s.domains.length) {
            recomputeWeights();
        } else {
            s.weightsPending = true;
        }
    }

    /** Recomputes the weights now if a summary is waiting (e.g. before a final snapshot). */
    public void applyPendingWeights() {
        if (s.weightsPending) {
            recomputeWeights();
        }
    }

    /**
     * The end of a bounded input, before the final snapshot: FGLS solved on the final summaries
     * and the weights recomputed. FGLS is otherwise re-solved as the arrivals grow, and the last
     * summaries of a backlog read at full speed can reach the trainer after its last arrival.
     */
    public void finishInput() {
        long solvedAt = s.fglsSolvedAt;
        // pending weights mean summaries came after the last recomputation: a solve at the last
        // arrival may have rested on the first of them alone (a backlog read faster than its
        // summaries come back), so it is solved again on all of them
        if (settings.fglsEnabled() && (solvedAt != s.arrivals || s.weightsPending)) {
            solveFgls();
        }
        // only on something new: a stateful rule (groupdro, exp3) takes a step with every recomputation.
        // Arrivals since the last recomputation are new: ERMA's losses are the trainer's own scores,
        // and in a backlog the statistics' last summaries can reach the trainer before its last
        // arrivals, so the weights would otherwise rest on windows some hundreds of arrivals short
        if (s.weightsPending || s.fglsSolvedAt != solvedAt || s.weightsAt != s.arrivals) {
            recomputeWeights();
        }
    }

    /** Recomputes π, λ and p from the latest statistics (also called when a domain appears). */
    public void recomputeWeights() {
        s.weightsAt = s.arrivals;
        s.weightsPending = false;
        double[] share = currentShares();
        // re-solved every fglsInterval arrivals, and sooner while the stream is young (each time the
        // arrivals double): the first solve may rest on a few hundred examples, or on the one domain
        // whose summary came first, and a short stream would keep it to the end
        if (settings.fglsEnabled()
                && (s.fglsSolvedAt < 0 || s.arrivals - s.fglsSolvedAt >= Math.min(
                        settings.weights.lossRule().fglsInterval(settings.fglsInterval, settings.weights),
                        Math.max(s.fglsSolvedAt, 1)))) {
            solveFgls();
        }
        // ERMA's and VA's estimates rest on the arrivals the trainer scored, FGLS's on the summaries
        long[] count = settings.fglsEnabled() ? statsCounts() : arrivalCounts();
        WeightInputs in = new WeightInputs(s.domains, share, count, lossEstimates(), noiseVariance(),
                gradientSecondMoments(), s.arrivals);
        DomainWeights w = WeightCalculator.compute(settings.weights, in, lossRuleState, samplingRuleState);
        if (lossWeightsMovedFromAverageStart(w.lossWeight)) {
            s.averageCount = 0; // burn-in: the next step starts a new average
            s.windowAverageCount = 0;
            s.averageLossWeight = w.lossWeight.clone();
        }
        s.share = w.share;
        s.lossWeight = w.lossWeight;
        s.samplingProbability = w.samplingProbability;
        s.importanceWeight = w.importanceWeight;
        sampler.invalidate();
        if (settings.fglsEnabled() && s.fglsSolvedAt == s.arrivals) {
            s.fglsTheta = closedFormFgls(w.lossWeight);
        }
        refreshStepSize();
        shareBufferBudget();
        checkHealth();
    }

    /**
     * Values of a domain's loss and gradient means after a detected rise of its loss before the
     * new values alone make the reading: the relative standard error of a mean of 512 squared
     * Gaussian residuals is √(2/512) ≈ 0.06, so the 20 % that λ is judged by is over 3 standard
     * errors (256 left λ outside it on one seed in five of the drift experiment; 2,048 waited longer).
     */
    public static final long CHANGE_RESTART_WINDOW = 512;

    /**
     * The health checks of every domain against the weights just computed: O(K), like the
     * recomputation. A domain whose loss rose by more than F restarts its means.
     */
    private void checkHealth() {
        long reported = health.count();
        for (int k = 0; k < s.domains.length; k++) {
            DomainTrainerState d = s.domainStates[k];
            boolean lossRose = health.check(s.domains[k], d.health, d.arrivalCount, s.arrivals, s.step,
                    d.lossMean.read(), s.lossWeight[k], s.arrivals - d.decayedAt, s.share[k]);
            if (lossRose) {
                // the domain changed: its loss and gradient means restart from here instead of
                // mixing up to two capped windows of the old noise into ERMA's λ and VA's p
                d.lossMean.restart(CHANGE_RESTART_WINDOW);
                d.gradientMean.restart(CHANGE_RESTART_WINDOW);
            }
        }
        s.healthEvents += health.count() - reported;
    }

    /**
     * The domain health events (a loss that rose, a λ that moved, a domain that stopped or
     * started) since the last call, oldest first; at most the newest 10,000 wait. Not state: a
     * caller drains them as they come (the job after every element, before a checkpoint can
     * fall between).
     */
    public List<HealthEvent> drainHealthEvents() {
        return health.drain();
    }

    /** Domain health events reported since the run started (restores included). */
    public long healthEventCount() {
        return s.healthEvents;
    }

    /**
     * Whether some domain's λ is more than {@value #AVERAGE_RESTART_FACTOR}× (or less than
     * 1/{@value #AVERAGE_RESTART_FACTOR}) of what it was when the current average started, or a
     * domain has appeared since. The iterates before such a move followed other weights (e.g.
     * uniform λ before FGLS's first solve), noisier ones: averaging them in costs efficiency,
     * and restarting costs only the steps before the move. ERMA's and FGLS's weights settle
     * within the first few percent of a stream, so this detects the burn-in online.
     */
    private boolean lossWeightsMovedFromAverageStart(double[] lambda) {
        double[] start = s.averageLossWeight;
        if (start == null || start.length != lambda.length) {
            return true;
        }
        for (int k = 0; k < lambda.length; k++) {
            double r = lambda[k] / start[k];
            if (!(r <= AVERAGE_RESTART_FACTOR && r >= 1.0 / AVERAGE_RESTART_FACTOR)) {
                return true;
            }
        }
        return false;
    }

    static final double AVERAGE_RESTART_FACTOR = 1.5;

    /**
     * Gives each domain its share of the example budget: budget · p_k, clamped to
     * [floor, R] with floor = min(bufferFloor, budget / 2K). A ring is resized only when its
     * share has moved by more than half (resizing keeps the newest examples, O(capacity · d)),
     * so that summaries that nudge p do not copy buffers. Sampling within a domain stays
     * uniform over its ring, so the importance correction is exact whatever the capacities.
     */
    private void shareBufferBudget() {
        int k = s.domains.length;
        long floor = Math.max(1, Math.min(settings.bufferFloor, settings.bufferBudget / (2L * k)));
        double total = 0;
        for (double p : s.samplingProbability) {
            total += p > 0 ? p : 0;
        }
        for (int i = 0; i < k; i++) {
            double q = total > 0 && s.samplingProbability[i] > 0 ? s.samplingProbability[i] / total : 1.0 / k;
            int target = (int) Math.max(floor, Math.min(settings.bufferCapacity, (long) (settings.bufferBudget * q)));
            int current = s.domainStates[i].bufferCapacity;
            if (current == 0 || target > 1.5 * current || 1.5 * target < current) {
                resizeBuffer(i, target);
            }
        }
    }

    /** A ring of a new capacity holding the newest min(size, capacity) examples, oldest first. */
    private void resizeBuffer(int k, int capacity) {
        DomainTrainerState d = s.domainStates[k];
        int keep = Math.min(d.bufferSize, capacity);
        int old = d.bufferCapacity;
        DomainBuffer from = d.ring;
        DomainBuffer to = new DomainBuffer(capacity, dim);
        for (int j = 0; j < keep; j++) {
            int i = Math.floorMod(d.bufferNext - keep + j, Math.max(old, 1));
            System.arraycopy(from.x, i * dim, to.x, j * dim, dim);
            to.y[j] = from.y[i];
            to.weight[j] = from.weight[i];
        }
        d.ring = to;
        markChanged(k);
        d.bufferCapacity = capacity;
        d.bufferSize = keep;
        d.bufferNext = keep % capacity;
        d.bufferUnused = Math.min(d.bufferUnused, keep);
    }

    private void solveFgls() {
        List<FglsStatistics> list = fglsList();
        if (list == null) {
            return;
        }
        FglsEstimator.NoiseEstimate est = FglsEstimator.estimateNoise(list);
        if (est == null) {
            return;
        }
        for (int k = 0; k < s.domains.length; k++) {
            s.domainStates[k].noiseVariance = est.noiseVariance[k];
        }
        s.fglsSolvedAt = s.arrivals;
    }

    private List<FglsStatistics> fglsList() {
        List<FglsStatistics> list = new ArrayList<>();
        LossWeightRule rule = settings.weights.lossRule();
        FglsStatistics any = null;
        for (int k = 0; k < s.domains.length; k++) {
            FglsStatistics f = s.domainStates[k].fgls == null ? null
                    : rule.fglsStatistics(k, s.domainStates[k].fgls, settings.weights, lossRuleState);
            list.add(f);
            if (f != null) {
                any = f;
            }
        }
        if (any == null) {
            return null;
        }
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k) == null) {
                list.set(k, new FglsStatistics(any.intercept ? any.p - 1 : any.p, any.intercept));
            }
        }
        return list;
    }

    private double[] closedFormFgls(double[] lambda) {
        List<FglsStatistics> list = fglsList();
        return list == null ? null : FglsEstimator.weightedSolve(list, lambda);
    }

    /** π_k from the decayed counts at the current arrival clock. */
    public double[] currentShares() {
        int k = s.domains.length;
        double[] pi = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            pi[i] = DecayedCounts.decayed(s.domainStates[i].decayedCount, s.domainStates[i].decayedAt, s.arrivals, gamma);
            total += pi[i];
        }
        if (total > 0) {
            for (int i = 0; i < k; i++) {
                pi[i] /= total;
            }
        }
        return pi;
    }

    // ------------------------------------------------------------------ domains

    /**
     * Index of a domain, registering it on first sight: the one place where the per-domain state
     * grows (a {@link DomainTrainerState} with an empty ring, and a zero in each weight vector
     * until the next recomputation).
     */
    public int domainIndex(String domain) {
        Integer known = indexByDomain.get(domain);
        if (known != null) {
            return known;
        }
        String[] ds = s.domains;
        int k = ds.length;
        indexByDomain.put(domain, k);
        int n = k + 1;
        s.domains = Arrays.copyOf(ds, n);
        s.domains[k] = domain;
        DomainTrainerState d = new DomainTrainerState();
        d.decayedAt = s.arrivals;
        d.ring = new DomainBuffer(0, dim); // capacity 0 until the weights give the domain its share
        s.domainStates = Arrays.copyOf(s.domainStates, n);
        s.domainStates[k] = d;
        markChanged(k);
        s.share = Arrays.copyOf(s.share, n);
        s.lossWeight = Arrays.copyOf(s.lossWeight, n);
        s.samplingProbability = Arrays.copyOf(s.samplingProbability, n);
        s.importanceWeight = Arrays.copyOf(s.importanceWeight, n);
        return k;
    }

    /** A rule's state kept in the trainer's checkpointed state: per domain in its holder, the run's in {@link TrainerState}. */
    private final class RuleStateView implements RuleState {
        private final boolean loss;

        RuleStateView(boolean loss) {
            this.loss = loss;
        }

        @Override
        public double[] domain(int k) {
            DomainTrainerState d = s.domainStates[k];
            return loss ? d.lossRuleState : d.samplingRuleState;
        }

        @Override
        public void setDomain(int k, double[] values) {
            DomainTrainerState d = s.domainStates[k];
            if (loss) {
                d.lossRuleState = values;
            } else {
                d.samplingRuleState = values;
            }
        }

        @Override
        public double[] global() {
            return loss ? s.lossRuleState : s.samplingRuleState;
        }

        @Override
        public void setGlobal(double[] values) {
            if (loss) {
                s.lossRuleState = values;
            } else {
                s.samplingRuleState = values;
            }
        }
    }

    // ------------------------------------------------------------------ read-outs

    public String[] domains() {
        return s.domains;
    }

    public long step() {
        return s.step;
    }

    public long arrivals() {
        return s.arrivals;
    }

    public long skippedUpdates() {
        return s.skippedUpdates;
    }

    public double[] lossWeights() {
        return s.lossWeight;
    }

    public double[] samplingProbabilities() {
        return s.samplingProbability;
    }

    public double[] shares() {
        return s.share;
    }

    public double[] fglsTheta() {
        return s.fglsTheta;
    }

    /** The step size of the last step taken. */
    public double stepSize() {
        return s.stepSize;
    }

    /** EMA of the measured per-slot ‖w∇ℓ‖² (NaN before the first step). */
    public double measuredGradientNoise() {
        return BiasCorrectedEma.read(s.noiseRaw, settings.emaBeta, s.noiseCount);
    }

    /** Mean per-slot ‖w∇ℓ‖² since the last {@link #resetNoiseWindow()}. */
    public double windowGradientNoise() {
        return s.noiseWindowCount == 0 ? Double.NaN : s.noiseWindowSum / s.noiseWindowCount;
    }

    public void resetNoiseWindow() {
        s.noiseWindowSum = 0;
        s.noiseWindowCount = 0;
    }

    public double trainingLoss() {
        return BiasCorrectedEma.read(s.trainingLossRaw, settings.emaBeta, s.noiseCount);
    }

    /** N(p) for the weights in force and the latest M_k. */
    public double predictedGradientNoise() {
        return GradientNoise.predicted(settings.weights.mode, s.share, s.lossWeight, s.samplingProbability,
                gradientSecondMoments());
    }

    public double predictedProportionalNoise() {
        return GradientNoise.proportional(s.share, s.lossWeight, gradientSecondMoments());
    }

    public double predictedVarianceAwareNoise() {
        return GradientNoise.varianceAware(s.share, s.lossWeight, gradientSecondMoments());
    }

    /** Each domain's arrivals (a fresh array). */
    public long[] arrivalCounts() {
        return perDomain(d -> d.arrivalCount);
    }

    /** Arrivals of domain {@code k} alone: for readers of one domain, e.g. gauges. */
    public long arrivalCount(int k) {
        return s.domainStates[k].arrivalCount;
    }

    /** Each domain's example count in its latest statistics summary (a fresh array; 0 before one). */
    public long[] statsCounts() {
        return perDomain(d -> d.statsCount);
    }

    /** One number of each domain's state, in domain order (a fresh array). */
    private long[] perDomain(java.util.function.ToLongFunction<DomainTrainerState> value) {
        long[] out = new long[s.domains.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.applyAsLong(s.domainStates[i]);
        }
        return out;
    }

    private double[] perDomainReading(java.util.function.ToDoubleFunction<DomainTrainerState> value) {
        double[] out = new double[s.domains.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.applyAsDouble(s.domainStates[i]);
        }
        return out;
    }

    /**
     * Effective sample use: the fraction of buffered arrivals that some slot has drawn at least
     * once. Exact with fresh-first draws (a slot reuses only when every buffered example of its
     * domain has been drawn); NaN with draws with replacement, which are not tracked per example.
     */
    public double fractionOfExamplesUsed() {
        long fresh = 0;
        long arrived = 0;
        for (DomainTrainerState d : s.domainStates) {
            fresh += d.freshDrawCount;
            arrived += d.arrivalCount;
        }
        return sampleUseRatio(fresh, arrived);
    }

    /** The mean number of draws of an example drawn at least once (NaN as above, or before one). */
    public double meanUsesOfUsedExamples() {
        long draws = 0;
        long fresh = 0;
        for (DomainTrainerState d : s.domainStates) {
            draws += d.drawCount;
            fresh += d.freshDrawCount;
        }
        return sampleUseRatio(draws, fresh);
    }

    private double sampleUseRatio(long numerator, long denominator) {
        return !settings.freshFirst || denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    /** L̄_k: each domain's mean prequential loss (a fresh array; NaN before its first score). */
    public double[] lossEstimates() {
        return perDomainReading(d -> d.lossMean.read());
    }

    /** M_k: each domain's mean w²‖∇ℓ‖² at the iterate (a fresh array; NaN before its first score). */
    public double[] gradientSecondMoments() {
        return perDomainReading(d -> d.gradientMean.read());
    }

    /** L̄ of domain {@code k} alone (NaN before its first score): for readers of one domain, e.g. gauges. */
    public double lossEstimate(int k) {
        return s.domainStates[k].lossMean.read();
    }

    /** Domain {@code k}'s share of the last N arrivals alone (0 before the first). */
    public double recentShare(int k) {
        return s.recentFilled > 0 ? (double) s.domainStates[k].recentCount / s.recentFilled : 0.0;
    }

    /** Arrivals of each domain left out because their loss or gradient was not finite. */
    public long[] nonFiniteCounts() {
        return perDomain(d -> d.nonFiniteCount);
    }

    /** Each domain's share of the last N arrivals (a fresh array; zeros before the first). */
    public double[] recentShares() {
        double[] out = new double[s.domains.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = recentShare(i);
        }
        return out;
    }

    /** Each domain's share of all arrivals so far (a fresh array). */
    public double[] longRunShares() {
        double[] out = new double[s.domains.length];
        if (s.arrivals > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (double) s.domainStates[i].arrivalCount / s.arrivals;
            }
        }
        return out;
    }

    /**
     * The q-quantile of the scoring lag (trainer step − step of the θ̄ copy used) over the
     * arrivals scored since the last {@link #resetStalenessWindow()}; NaN when there were none.
     * Exact while S ≤ {@value #STALENESS_BINS}; beyond, the upper edge of the quantile's bin.
     */
    public double stalenessQuantile(double q) {
        long total = 0;
        for (long c : s.lagHistogram) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long target = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < s.lagHistogram.length; b++) {
            seen += s.lagHistogram[b];
            if (seen >= Math.max(1, target)) {
                return Math.min((b + 1) * s.lagBinWidth - 1, s.lagMax);
            }
        }
        return s.lagMax;
    }

    /** The largest scoring lag since the last {@link #resetStalenessWindow()}. */
    public long stalenessMax() {
        return s.lagMax;
    }

    /** The lag the next arrival would be scored with now (for gauges). */
    public long currentStaleness() {
        long lag = s.step - s.scoringStep;
        return lag >= settings.maxStalenessSteps ? 0 : lag;
    }

    public void resetStalenessWindow() {
        Arrays.fill(s.lagHistogram, 0L);
        s.lagMax = 0;
    }

    /** σ̂²_k of the last FGLS solve (a fresh array; NaN before one). */
    public double[] noiseVariance() {
        return perDomainReading(d -> d.noiseVariance);
    }

    /** A snapshot of the model and weights now (copies; safe to publish). */
    public ModelSnapshot snapshot(String runId, long version, long timestamp) {
        ModelSnapshot m = new ModelSnapshot();
        m.runId = runId;
        m.version = version;
        m.step = s.step;
        m.examplesSeen = s.arrivals;
        m.modelType = settings.model.type().optionName();
        m.dimension = settings.model.dimension();
        m.hidden = settings.model.hidden();
        m.activation = settings.model.activation() == null ? null : settings.model.activation().optionName();
        m.intercept = settings.model.intercept();
        m.labels = settings.model.labelKind().name().toLowerCase(java.util.Locale.ROOT);
        m.theta = s.theta.clone();
        m.averagedTheta = averagedTheta().clone();
        m.fglsTheta = s.fglsTheta == null ? null : s.fglsTheta.clone();
        m.domains = s.domains.clone();
        m.share = s.share.clone();
        m.lossWeight = s.lossWeight.clone();
        m.samplingProbability = s.samplingProbability.clone();
        m.stepSize = s.stepSize;
        m.timestamp = timestamp;
        return m;
    }
}
