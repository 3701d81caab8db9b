package io.domainmix.core.train;

import io.domainmix.core.model.Model;

/**
 * The model ERMA scores arrivals under with {@code --erma-reference uniform}: SGD with every loss
 * weight 1 on the arrivals in their order (one gradient per arrival, each example once), so its
 * objective is Σ_k π_k E_k ℓ whatever λ the trained model uses, and its average of the iterates.
 * For linear regression it tends to the OLS fit, and L̄_k under it to σ_k²/2 plus the OLS misfit of
 * domain k: the quantity one-shot FGLS reads from the OLS residuals.
 *
 * <p>Why not score under the published θ̄: that model is trained with ERMA's own λ. On data the
 * model does not fit exactly (a real stream), the λ-weighted fit moves towards the domains with
 * large λ, their losses fall and the others' rise, so λ spreads further: a feedback that made
 * ERMA's λ_max/λ_min 1.8–23× the offline FGLS one on the sensor data, varying between runs.
 *
 * <p>The average restarts whenever the count of steps doubles, and the reference read is the
 * average of the current or the last completed window, whichever is longer (ALGORITHMS.md §4):
 * the start-up iterates (θ₀ far from a label of mean 27) are forgotten geometrically fast.
 * Public fields: this object is part of the trainer's checkpointed state as is. Not thread-safe.
 */
public final class UniformReferenceModel {
    public double[] theta;
    /** Average of the iterates of the current window, which started at step {@link #windowStart}. */
    public double[] average;
    public long windowStart;
    /** Average of the last completed window (null before one completed), of {@link #completedCount} iterates. */
    public double[] completed;
    public long completedCount;
    public long steps;
    /** c / max_k curvature(E_k‖x‖²): the trained model's rule with every weight 1. */
    public double stepSize;

    public UniformReferenceModel() {}

    public static UniformReferenceModel startingAt(double[] initial) {
        UniformReferenceModel r = new UniformReferenceModel();
        r.theta = initial.clone();
        r.average = initial.clone();
        r.windowStart = 1;
        return r;
    }

    /** The parameters to score under: the longer of the current and the last completed window's average. */
    public double[] scoringParameters() {
        long current = steps - windowStart + 1;
        if (steps == 0) {
            return theta;
        }
        return completed != null && completedCount > current ? completed : average;
    }

    /**
     * One SGD step on one arrival: θ ← θ − η w ∇ℓ(θ; x, y), skipped when anything is not finite or
     * η is not positive; then the average is updated.
     *
     * @param gradient scratch of the model's parameter count
     */
    public void train(Model model, double[] x, double y, double weight, double eta, double[] gradient) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            return;
        }
        model.lossAndGradient(theta, x, y, gradient);
        double scale = eta * weight;
        for (double g : gradient) {
            if (!Double.isFinite(scale * g)) {
                return;
            }
        }
        for (int j = 0; j < theta.length; j++) {
            theta[j] -= scale * gradient[j];
        }
        long n = ++steps;
        if (n >= 2 * windowStart) { // the window [windowStart, 2·windowStart) is complete
            completed = average.clone();
            completedCount = n - windowStart;
            windowStart = n;
            System.arraycopy(theta, 0, average, 0, theta.length);
            return;
        }
        long inWindow = n - windowStart + 1;
        if (inWindow == 1) {
            System.arraycopy(theta, 0, average, 0, theta.length);
        } else {
            for (int j = 0; j < average.length; j++) {
                average[j] += (theta[j] - average[j]) / inWindow;
            }
        }
    }
}
