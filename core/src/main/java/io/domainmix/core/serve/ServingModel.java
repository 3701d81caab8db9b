package io.domainmix.core.serve;

import io.domainmix.core.data.LabelKind;
import io.domainmix.core.model.Activation;
import io.domainmix.core.model.Model;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.train.ModelSnapshot;

/**
 * One snapshot version ready to predict with: the model built from the snapshot's description
 * and a private copy of the chosen parameters. Immutable once built, so a reader that swaps the
 * reference to a newer one never sees a half-applied model. Safe for concurrent predictions:
 * each thread evaluates with its own model instance (the MLP keeps scratch buffers).
 */
public final class ServingModel {
    private final String runId;
    private final long version;
    private final ModelSource source;
    private final ModelSpec spec;
    private final double[] theta;
    private final ThreadLocal<Model> models;

    private ServingModel(String runId, long version, ModelSource source, ModelSpec spec, double[] theta) {
        this.runId = runId;
        this.version = version;
        this.source = source;
        this.spec = spec;
        this.theta = theta;
        this.models = ThreadLocal.withInitial(spec::create);
    }

    /**
     * Builds the served model of a snapshot.
     *
     * @throws IllegalArgumentException naming what is wrong when the snapshot cannot be served
     *     (unknown model type, parameters of the wrong length or not finite, no FGLS estimate)
     */
    public static ServingModel of(ModelSnapshot s, ModelSource source) {
        if (s.modelType == null) {
            throw new IllegalArgumentException("version " + s.version + " has no modelType");
        }
        ModelType type = ModelType.parse(s.modelType);
        Activation activation = type == ModelType.MLP ? Activation.parse(s.activation == null ? "" : s.activation) : null;
        // Snapshots written before the field existed are of real-valued runs unless the model is logistic.
        LabelKind labels = s.labels == null ? LabelKind.REAL : LabelKind.valueOf(labelName(s.labels));
        ModelSpec spec = ModelSpec.of(type, s.dimension, s.intercept, s.hidden, activation, labels);
        double[] chosen = source == ModelSource.FGLS ? s.fglsTheta : s.averagedTheta;
        if (chosen == null) {
            throw new IllegalArgumentException("version " + s.version + " has no "
                    + (source == ModelSource.FGLS
                            ? "closed-form FGLS estimate (the run's loss weights are not fgls, or it is not solved yet)"
                            : "averaged parameters"));
        }
        int expected = source == ModelSource.FGLS ? s.dimension + (s.intercept ? 1 : 0) : spec.create().parameterCount();
        if (chosen.length != expected) {
            throw new IllegalArgumentException("version " + s.version + " has " + chosen.length + " "
                    + source.optionName() + " parameters; " + spec + " needs " + expected);
        }
        for (int i = 0; i < chosen.length; i++) {
            if (!Double.isFinite(chosen[i])) {
                throw new IllegalArgumentException("version " + s.version + " has a non-finite parameter at " + i);
            }
        }
        ModelSpec served = source == ModelSource.FGLS ? ModelSpec.linear(s.dimension, s.intercept) : spec;
        return new ServingModel(s.runId, s.version, source, served, chosen.clone());
    }

    private static String labelName(String labels) {
        String upper = labels.trim().toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals("REAL") && !upper.equals("BINARY")) {
            throw new IllegalArgumentException("labels '" + labels + "'; allowed: real, binary");
        }
        return upper;
    }

    /**
     * The prediction for features {@code x}: a real value, or the probability of label 1 for
     * binary models ({@link Model#predict}).
     *
     * @throws IllegalArgumentException when {@code x} has the wrong length
     */
    public double predict(double[] x) {
        if (x.length != spec.dimension()) {
            throw new IllegalArgumentException("x has " + x.length + " values; the model expects " + spec.dimension());
        }
        return models.get().predict(theta, x);
    }

    public String runId() {
        return runId;
    }

    public long version() {
        return version;
    }

    public ModelSource source() {
        return source;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** A copy of the served parameters. */
    public double[] parameters() {
        return theta.clone();
    }
}
