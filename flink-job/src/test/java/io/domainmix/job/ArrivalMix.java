package io.domainmix.job;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 11's arrival-mix criterion over a sequence of arrivals: in consecutive windows of
 * {@code window} arrivals, is every domain's share within {@code tolerance} of its share over the
 * whole sequence?
 */
record ArrivalMix(int windows, int within, double worstDeviation) {

    static ArrivalMix of(List<String> arrivals, int window, double tolerance) {
        Map<String, Double> overall = shares(arrivals);
        int windows = 0;
        int within = 0;
        double worst = 0;
        for (int from = 0; from + window <= arrivals.size(); from += window) {
            Map<String, Double> local = shares(arrivals.subList(from, from + window));
            double deviation = 0;
            for (Map.Entry<String, Double> d : overall.entrySet()) {
                deviation = Math.max(deviation, Math.abs(local.getOrDefault(d.getKey(), 0.0) - d.getValue()));
            }
            windows++;
            if (deviation <= tolerance) {
                within++;
            }
            worst = Math.max(worst, deviation);
        }
        return new ArrivalMix(windows, within, worst);
    }

    double fraction() {
        return windows == 0 ? 0 : (double) within / windows;
    }

    private static Map<String, Double> shares(List<String> arrivals) {
        Map<String, Double> s = new TreeMap<>();
        for (String d : arrivals) {
            s.merge(d, 1.0, Double::sum);
        }
        s.replaceAll((d, n) -> n / arrivals.size());
        return s;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d of %d windows within (%.2f), largest deviation %.3f",
                within, windows, fraction(), worstDeviation);
    }
}
