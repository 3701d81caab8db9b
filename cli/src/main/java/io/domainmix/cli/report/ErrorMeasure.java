package io.domainmix.cli.report;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.Simulator;
import java.util.List;

/**
 * How far a published model θ̄ is from the truth: the distance ‖θ̄ − θ*‖ for linear regression,
 * the cosine distance 1 − cos(θ̄, θ*) for logistic regression (its scale is not identified
 * under label noise), and the mean over domains of the loss on noise-free held-out examples for
 * an MLP (its parameters are identified only up to symmetries).
 */
public final class ErrorMeasure {
    /** Held-out examples per domain for the MLP measure. */
    static final int HELD_OUT_PER_DOMAIN = 1000;

    private final String title;
    private final String shortName;
    private final java.util.function.ToDoubleFunction<double[]> measure;

    private ErrorMeasure(String title, String shortName, java.util.function.ToDoubleFunction<double[]> measure) {
        this.title = title;
        this.shortName = shortName;
        this.measure = measure;
    }

    /** @return null when the truth does not allow a measure (an MLP without seed and domains) */
    public static ErrorMeasure forTruth(TruthDocument truth) {
        double[] star = truth.truth().theta;
        ModelType type = truth.modelType();
        if (type == ModelType.LINEAR) {
            return new ErrorMeasure("error ‖θ̄ − θ*‖", "error", theta -> Simulator.distance(theta, star));
        }
        if (type == ModelType.LOGISTIC) {
            return new ErrorMeasure("cosine distance 1 − cos(θ̄, θ*)", "cos.dist",
                    theta -> Simulator.cosineDistance(theta, star));
        }
        if (!truth.regenerable()) {
            return null;
        }
        List<List<Example>> heldOut = truth.experiment().heldOut(truth.truth(), truth.seed(), HELD_OUT_PER_DOMAIN);
        Model model = truth.experiment().modelSpec().create();
        return new ErrorMeasure("held-out loss (noise-free labels)", "held-out", theta -> {
            double sum = 0;
            for (List<Example> set : heldOut) {
                double l = 0;
                for (Example e : set) {
                    l += model.loss(theta, e.x, e.y);
                }
                sum += l / set.size();
            }
            return sum / heldOut.size();
        });
    }

    public String title() {
        return title;
    }

    public String shortName() {
        return shortName;
    }

    public double of(double[] theta) {
        return measure.applyAsDouble(theta);
    }
}
