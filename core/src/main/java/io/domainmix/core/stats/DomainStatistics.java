package io.domainmix.core.stats;

import io.domainmix.core.data.Example;
import io.domainmix.core.fgls.FglsStatistics;
import io.domainmix.core.model.Model;

/**
 * The running statistics of one domain (ALGORITHMS.md §2–3), updated with every example:
 * <ul>
 *   <li>the bias-corrected EMA of its loss under the published model θ̄ (prequential: the
 *       model has not been trained on it) — ERMA's input;</li>
 *   <li>the bias-corrected EMA of ‖∇ℓ‖² at the current iterate θ — M_k of VA sampling, the
 *       gradient noise of the steps actually being taken;</li>
 *   <li>for FGLS, the exact sufficient statistics.</li>
 * </ul>
 * (The step-size rule's E‖x‖² is kept by the trainer, which sees every arrival.)
 * Public fields and a no-argument constructor: this object is the keyed state of the
 * statistics operator as is.
 */
public final class DomainStatistics {
    public long count;
    public long evaluated;
    public double lossRaw;
    public double gradientRaw;
    public long skippedNonFinite;
    public FglsStatistics fgls;

    public DomainStatistics() {}

    /** @param withFgls keep FGLS sufficient statistics (linear regression only) */
    public static DomainStatistics create(int dimension, boolean intercept, boolean withFgls) {
        DomainStatistics s = new DomainStatistics();
        if (withFgls) {
            s.fgls = new FglsStatistics(dimension, intercept);
        }
        return s;
    }

    /**
     * Adds one example.
     *
     * @param publishedTheta the published (averaged) model: loss for ERMA
     * @param iterateTheta the current SGD iterate: gradient second moment for VA
     * @param scratch a gradient buffer of the model's parameter count
     * @return false when the example's loss or gradient was not finite (it is then counted,
     *     kept out of the averages, and should be kept away from the model)
     */
    public boolean observe(Model model, double[] publishedTheta, double[] iterateTheta, Example e,
                           double beta, double[] scratch) {
        count++;
        double loss = e.weight * model.loss(publishedTheta, e.x, e.y);
        model.lossAndGradient(iterateTheta, e.x, e.y, scratch);
        double g2 = 0;
        for (double g : scratch) {
            g2 += g * g;
        }
        g2 *= e.weight * e.weight;
        if (!Double.isFinite(loss) || !Double.isFinite(g2)) {
            skippedNonFinite++;
            return false;
        }
        evaluated++;
        lossRaw = BiasCorrectedEma.update(lossRaw, beta, loss);
        gradientRaw = BiasCorrectedEma.update(gradientRaw, beta, g2);
        if (fgls != null) {
            fgls.add(e.x, e.y, e.weight);
        }
        return true;
    }

    public double lossEma(double beta) {
        return BiasCorrectedEma.read(lossRaw, beta, evaluated);
    }

    public double gradientSecondMoment(double beta) {
        return BiasCorrectedEma.read(gradientRaw, beta, evaluated);
    }

    /** A summary for the trainer; the FGLS statistics are copied, so later updates do not leak into it. */
    public DomainStats summary(String domain, double beta) {
        DomainStats s = new DomainStats();
        s.domain = domain;
        s.count = count;
        s.evaluated = evaluated;
        s.lossEma = lossEma(beta);
        s.gradientSecondMoment = gradientSecondMoment(beta);
        s.skippedNonFinite = skippedNonFinite;
        s.fgls = fgls == null ? null : fgls.copy();
        return s;
    }
}
