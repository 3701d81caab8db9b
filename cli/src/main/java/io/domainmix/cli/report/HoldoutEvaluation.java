package io.domainmix.cli.report;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.offline.DomainRows;
import io.domainmix.core.offline.HeldOutLoss;
import io.domainmix.core.offline.LinearReferenceFit;
import io.domainmix.core.offline.LogisticReferenceFit;
import io.domainmix.core.offline.ReferenceFit;
import io.domainmix.core.train.ModelSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs judged on held-out rows instead of a ground truth: the held-out loss of every published
 * θ̄ (per domain, over all rows, and λ-weighted with the offline reference's λ), λ and p of
 * every domain over time, and the offline reference fits of the training rows the runs were
 * fed (OLS and one-shot FGLS for linear models, the plain and the loss-weighted MLE for
 * logistic ones).
 */
public final class HoldoutEvaluation {
    /** Snapshots evaluated per run at most (evenly spread, the last always): bounds the work on long runs. */
    static final int MAX_POINTS = 200;

    /** The offline reference and its held-out losses. */
    public record Reference(boolean isLinear, ReferenceFit fit, double[] unweightedPerDomain, double unweightedOverall,
                            double unweightedWeighted, double[] weightedPerDomain, double weightedOverall,
                            double weightedWeighted) {}

    /** One run's held-out curves and its final numbers. */
    public record Run(String runId, String label, long examplesSeen, Map<String, Series> perDomain, Series overall,
                      Series weighted, Map<String, Series> lossWeight, Map<String, Series> samplingProbability,
                      double[] finalPerDomain, double finalOverall, double finalWeighted, double[] finalLossWeight,
                      double[] finalSamplingProbability) {}

    private final ModelSpec spec;
    private final List<String> domains;
    private final DomainRows holdout;
    private final Reference reference;
    private final List<Run> runs = new ArrayList<>();

    private HoldoutEvaluation(ModelSpec spec, DomainRows training, DomainRows holdout, List<RunRecords> records) {
        this.spec = spec;
        this.holdout = holdout;
        this.domains = training.domains();
        this.reference = reference(spec, training, holdout, domains);
        for (RunRecords r : records) {
            runs.add(evaluate(r));
        }
    }

    /**
     * @throws IllegalArgumentException when there are no snapshots, or the rows do not fit the
     *                                  runs' model
     */
    public static HoldoutEvaluation of(List<RunRecords> records, List<Example> training, List<Example> holdout) {
        ModelSnapshot first = null;
        for (RunRecords r : records) {
            if (r.lastSnapshot() != null) {
                first = r.lastSnapshot();
                break;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("no snapshot records: the held-out loss needs the published models");
        }
        if (training.isEmpty() || holdout.isEmpty()) {
            throw new IllegalArgumentException("the " + (training.isEmpty() ? "training" : "held-out") + " rows are empty");
        }
        ModelType type = ModelType.parse(first.modelType);
        if (type == ModelType.MLP) {
            // a snapshot does not say whether the MLP's output is a regression or a logit, so its loss is not known here
            throw new IllegalArgumentException("the held-out report covers linear and logistic runs; these runs are mlp");
        }
        ModelSpec spec = ModelSpec.of(type, first.dimension, first.intercept, 0, null, io.domainmix.core.data.LabelKind.REAL);
        DomainRows t = new DomainRows(training);
        DomainRows h = new DomainRows(holdout);
        if (t.dimension() != spec.dimension() || h.dimension() != spec.dimension()) {
            throw new IllegalArgumentException("the rows have " + h.dimension() + " features, the runs' model "
                    + spec.dimension() + ": were they produced from the same file and options?");
        }
        return new HoldoutEvaluation(spec, t, h, records);
    }

    private static Reference reference(ModelSpec spec, DomainRows training, DomainRows holdout, List<String> domains) {
        ReferenceFit fit;
        switch (spec.type()) {
            case LINEAR:
                fit = LinearReferenceFit.fit(training, spec.intercept());
                break;
            case LOGISTIC:
                fit = LogisticReferenceFit.fit(training, spec.intercept());
                break;
            default:
                throw new IllegalArgumentException("no offline reference for " + spec.type().optionName());
        }
        Model model = spec.create();
        double[] u = HeldOutLoss.perDomain(model, fit.unweightedTheta(), holdout, domains);
        double[] w = HeldOutLoss.perDomain(model, fit.weightedTheta(), holdout, domains);
        return new Reference(spec.type() == ModelType.LINEAR, fit, u, HeldOutLoss.overall(u, holdout, domains),
                HeldOutLoss.weighted(u, fit.share(), fit.lossWeight()), w, HeldOutLoss.overall(w, holdout, domains),
                HeldOutLoss.weighted(w, fit.share(), fit.lossWeight()));
    }

    private Run evaluate(RunRecords r) {
        Model model = spec.create();
        List<ModelSnapshot> snaps = new ArrayList<>();
        for (ModelSnapshot s : r.snapshots()) {
            if (s.averagedTheta != null && s.averagedTheta.length == model.parameterCount()) {
                snaps.add(s);
            }
        }
        snaps = spread(snaps);
        int k = domains.size();
        List<List<double[]>> per = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            per.add(new ArrayList<>());
        }
        List<double[]> all = new ArrayList<>();
        List<double[]> weighted = new ArrayList<>();
        double[] last = new double[k];
        java.util.Arrays.fill(last, Double.NaN);
        double lastOverall = Double.NaN;
        double lastWeighted = Double.NaN;
        for (ModelSnapshot s : snaps) {
            double[] l = HeldOutLoss.perDomain(model, s.averagedTheta, holdout, domains);
            for (int i = 0; i < k; i++) {
                RunEvaluation.add(per.get(i), s.examplesSeen, l[i]);
            }
            lastOverall = HeldOutLoss.overall(l, holdout, domains);
            RunEvaluation.add(all, s.examplesSeen, lastOverall);
            lastWeighted = HeldOutLoss.weighted(l, reference.fit().share(), reference.fit().lossWeight());
            RunEvaluation.add(weighted, s.examplesSeen, lastWeighted);

            last = l;
        }
        Map<String, Series> perDomain = new LinkedHashMap<>();
        Map<String, List<double[]>> lam = new LinkedHashMap<>();
        Map<String, List<double[]>> p = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            perDomain.put(domains.get(i), RunEvaluation.series("held-out loss " + domains.get(i), per.get(i)));
            lam.put(domains.get(i), new ArrayList<>());
            p.put(domains.get(i), new ArrayList<>());
        }
        MetricsPoint lastMetrics = null;
        for (MetricsPoint m : r.metrics()) {
            for (String d : domains) {
                int i = m.indexOf(d);
                if (i >= 0) {
                    RunEvaluation.add(lam.get(d), m.examplesSeen, m.lossWeight[i]);
                    RunEvaluation.add(p.get(d), m.examplesSeen, m.samplingProbability[i]);
                }
            }
            lastMetrics = m;
        }
        Map<String, Series> lamSeries = new LinkedHashMap<>();
        Map<String, Series> pSeries = new LinkedHashMap<>();
        lam.forEach((d, pts) -> lamSeries.put(d, RunEvaluation.series("λ " + d, pts)));
        p.forEach((d, pts) -> pSeries.put(d, RunEvaluation.series("p " + d, pts)));
        double[] finalLambda = new double[k];
        double[] finalP = new double[k];
        ModelSnapshot lastSnap = r.lastSnapshot();
        for (int i = 0; i < k; i++) {
            finalLambda[i] = finalP[i] = Double.NaN;
            String d = domains.get(i);
            if (lastMetrics != null && lastMetrics.indexOf(d) >= 0) {
                finalLambda[i] = lastMetrics.lossWeight[lastMetrics.indexOf(d)];
                finalP[i] = lastMetrics.samplingProbability[lastMetrics.indexOf(d)];
            } else if (lastSnap != null && lastSnap.domains != null) {
                int j = java.util.Arrays.asList(lastSnap.domains).indexOf(d);
                if (j >= 0) {
                    finalLambda[i] = lastSnap.lossWeight[j];
                    finalP[i] = lastSnap.samplingProbability[j];
                }
            }
        }
        long seen = Math.max(lastSnap == null ? 0 : lastSnap.examplesSeen, lastMetrics == null ? 0 : lastMetrics.examplesSeen);
        return new Run(r.runId(), r.label(), seen, perDomain, RunEvaluation.series("held-out loss", all),
                RunEvaluation.series("λ-weighted held-out loss", weighted), lamSeries, pSeries, last, lastOverall, lastWeighted,
                finalLambda, finalP);
    }

    /** At most {@link #MAX_POINTS} snapshots, evenly spread, the last one always among them. */
    static List<ModelSnapshot> spread(List<ModelSnapshot> snaps) {
        if (snaps.size() <= MAX_POINTS) {
            return snaps;
        }
        List<ModelSnapshot> out = new ArrayList<>();
        for (int i = 0; i < MAX_POINTS; i++) {
            out.add(snaps.get((int) ((long) i * (snaps.size() - 1) / (MAX_POINTS - 1))));
        }
        return out;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Domains of the training rows, in name order. */
    public List<String> domains() {
        return domains;
    }

    /** The offline reference fits and their held-out losses. */
    public Reference reference() {
        return reference;
    }

    public List<Run> runs() {
        return runs;
    }

    /** Held-out rows of a domain. */
    public int holdoutRows(String domain) {
        return holdout.of(domain).size();
    }

    /** λ_max / λ_min of the given weights (NaN unless all are positive and finite). */
    public static double spreadOf(double[] lambda) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double v : lambda) {
            if (!(v > 0) || !Double.isFinite(v)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        return max / min;
    }

    /**
     * Whether {@code run} ranks the domains as {@code reference} does: every pair that the
     * reference orders strictly, the run orders the same way strictly (equal weights rank nothing).
     */
    public static boolean sameOrder(double[] run, double[] reference) {
        for (int i = 0; i < run.length; i++) {
            for (int j = 0; j < run.length; j++) {
                if (reference[i] > reference[j] && !(run[i] > run[j])) {
                    return false;
                }
            }
        }
        return true;
    }
}
