package io.domainmix.cli.report;

import io.domainmix.core.train.ModelSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plotted series and the final numbers of one run. */
public final class RunEvaluation {
    public final String runId;
    public final String label;
    /** The error measure of the averaged model θ̄ of every snapshot. */
    public final Series error;
    /** Loss weight and sampling probability of the reference domain (the first one). */
    public final Series lambda1;
    public final Series p1;
    public final Series noiseMeasured;
    public final Series noisePredicted;
    /** Per domain: the EMA of the prequential loss (loss of each arriving example before training on it). */
    public final Map<String, Series> prequentialLoss;
    /** Per domain: λ and p over time. */
    public final Map<String, Series> lossWeights;
    public final Map<String, Series> samplingProbabilities;
    /** The domain health events of the run, in the order published. */
    public final List<MetricsPoint.HealthMark> healthEvents;
    public final Series trainingLoss;

    public final long examplesSeen;
    public final double finalError;
    /** Mean measured gradient noise over the last tenth of the run. */
    public final double finalNoiseMeasured;
    /** Mean predicted N(p) over the same window. */
    public final double finalNoisePredicted;
    public final String[] domains;
    public final double[] finalLossWeight;
    public final double[] finalSamplingProbability;
    public final Map<String, Long> arrivals;

    private RunEvaluation(RunRecords run, ErrorMeasure measure, String referenceDomain) {
        runId = run.runId();
        label = run.label();
        List<ModelSnapshot> snaps = run.snapshots();
        List<MetricsPoint> metrics = run.metrics();
        error = snapshotSeries("error", snaps, measure);

        List<double[]> lam = new ArrayList<>();
        List<double[]> p = new ArrayList<>();
        List<double[]> noiseM = new ArrayList<>();
        List<double[]> noiseP = new ArrayList<>();
        List<double[]> train = new ArrayList<>();
        Map<String, List<double[]>> loss = new LinkedHashMap<>();
        Map<String, List<double[]>> lambdas = new LinkedHashMap<>();
        Map<String, List<double[]>> ps = new LinkedHashMap<>();
        List<MetricsPoint.HealthMark> events = new ArrayList<>();
        for (MetricsPoint m : metrics) {
            events.addAll(m.healthEvents);
            double x = m.examplesSeen;
            int i = m.indexOf(referenceDomain);
            if (i >= 0) {
                add(lam, x, m.lossWeight[i]);
                add(p, x, m.samplingProbability[i]);
            }
            add(noiseM, x, m.noiseMeasured);
            add(noiseP, x, m.noisePredicted);
            add(train, x, m.trainingLoss);
            for (int d = 0; d < m.domains.length; d++) {
                add(loss.computeIfAbsent(m.domains[d], k -> new ArrayList<>()), x, m.lossEma[d]);
                add(lambdas.computeIfAbsent(m.domains[d], k -> new ArrayList<>()), x, m.lossWeight[d]);
                add(ps.computeIfAbsent(m.domains[d], k -> new ArrayList<>()), x, m.samplingProbability[d]);
            }
        }
        lambda1 = series("lambda " + referenceDomain, lam);
        p1 = series("p " + referenceDomain, p);
        noiseMeasured = series("measured", noiseM);
        noisePredicted = series("predicted", noiseP);
        trainingLoss = series("training loss", train);
        Map<String, Series> pl = new LinkedHashMap<>();
        loss.forEach((d, pts) -> pl.put(d, series("prequential loss " + d, pts)));
        prequentialLoss = pl;
        Map<String, Series> lw = new LinkedHashMap<>();
        lambdas.forEach((d, pts) -> lw.put(d, series("lambda " + d, pts)));
        lossWeights = lw;
        Map<String, Series> sp = new LinkedHashMap<>();
        ps.forEach((d, pts) -> sp.put(d, series("p " + d, pts)));
        samplingProbabilities = sp;
        healthEvents = List.copyOf(events);

        ModelSnapshot lastSnap = run.lastSnapshot();
        MetricsPoint lastM = run.lastMetrics();
        examplesSeen = Math.max(lastSnap == null ? 0 : lastSnap.examplesSeen, lastM == null ? 0 : lastM.examplesSeen);
        finalError = error.lastY();
        finalNoiseMeasured = tailMean(noiseMeasured, examplesSeen);
        finalNoisePredicted = tailMean(noisePredicted, examplesSeen);
        if (lastM != null) {
            domains = lastM.domains.clone();
            finalLossWeight = lastM.lossWeight.clone();
            finalSamplingProbability = lastM.samplingProbability.clone();
            arrivals = new LinkedHashMap<>();
            for (int d = 0; d < domains.length; d++) {
                arrivals.put(domains[d], lastM.arrivals[d]);
            }
        } else if (lastSnap != null && lastSnap.domains != null) {
            domains = lastSnap.domains.clone();
            finalLossWeight = lastSnap.lossWeight.clone();
            finalSamplingProbability = lastSnap.samplingProbability.clone();
            arrivals = Map.of();
        } else {
            domains = new String[0];
            finalLossWeight = new double[0];
            finalSamplingProbability = new double[0];
            arrivals = Map.of();
        }
    }

    public static RunEvaluation of(RunRecords run, ErrorMeasure measure, String referenceDomain) {
        return new RunEvaluation(run, measure, referenceDomain);
    }

    private static Series snapshotSeries(String name, List<ModelSnapshot> snaps, ErrorMeasure measure) {
        List<double[]> pts = new ArrayList<>();
        if (measure != null) {
            for (ModelSnapshot s : snaps) {
                if (s.averagedTheta != null) {
                    add(pts, s.examplesSeen, measure.of(s.averagedTheta));
                }
            }
        }
        return series(name, pts);
    }

    /** Keeps finite points only: a statistic that is not known yet is NaN in the records. */
    static void add(List<double[]> pts, double x, double y) {
        if (Double.isFinite(x) && Double.isFinite(y)) {
            pts.add(new double[] {x, y});
        }
    }

    static Series series(String name, List<double[]> pts) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new Series(name, x, y);
    }

    private static double tailMean(Series s, long examples) {
        double from = examples * 0.9;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.x()[i] >= from) {
                sum += s.y()[i];
                n++;
            }
        }
        return n > 0 ? sum / n : s.lastY();
    }

    public double lossWeightOf(String domain) {
        for (int i = 0; i < domains.length; i++) {
            if (domains[i].equals(domain)) {
                return finalLossWeight[i];
            }
        }
        return Double.NaN;
    }

    public double samplingProbabilityOf(String domain) {
        for (int i = 0; i < domains.length; i++) {
            if (domains[i].equals(domain)) {
                return finalSamplingProbability[i];
            }
        }
        return Double.NaN;
    }
}
