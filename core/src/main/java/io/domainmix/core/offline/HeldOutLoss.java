package io.domainmix.core.offline;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import java.util.List;

/**
 * Losses of a parameter vector on held-out rows: per domain, over all rows, and λ-weighted
 * ({@code Σ_k π_k λ_k L_k}, the objective the loss weights define, with π the training shares).
 */
public final class HeldOutLoss {
    private HeldOutLoss() {}

    /** The (base-weighted) mean loss over the rows; NaN when there are none. */
    public static double mean(Model model, double[] theta, List<Example> rows) {
        double sum = 0;
        double weight = 0;
        for (Example e : rows) {
            sum += e.weight * model.loss(theta, e.x, e.y);
            weight += e.weight;
        }
        return weight > 0 ? sum / weight : Double.NaN;
    }

    /** Each domain's mean loss, in the order of {@code domains}. */
    public static double[] perDomain(Model model, double[] theta, DomainRows rows, List<String> domains) {
        double[] out = new double[domains.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = mean(model, theta, rows.of(domains.get(k)));
        }
        return out;
    }

    /** The mean over all rows: each domain's mean weighted by its number of rows. */
    public static double overall(double[] perDomain, DomainRows rows, List<String> domains) {
        double sum = 0;
        long n = 0;
        for (int k = 0; k < perDomain.length; k++) {
            int c = rows.of(domains.get(k)).size();
            if (c > 0) {
                sum += perDomain[k] * c;
                n += c;
            }
        }
        return n > 0 ? sum / n : Double.NaN;
    }

    /** {@code Σ_k π_k λ_k L_k}; domains without held-out rows are left out. */
    public static double weighted(double[] perDomain, double[] share, double[] lossWeight) {
        double sum = 0;
        double norm = 0;
        for (int k = 0; k < perDomain.length; k++) {
            if (Double.isFinite(perDomain[k])) {
                sum += share[k] * lossWeight[k] * perDomain[k];
                norm += share[k];
            }
        }
        return norm > 0 ? sum / norm : Double.NaN;
    }
}
