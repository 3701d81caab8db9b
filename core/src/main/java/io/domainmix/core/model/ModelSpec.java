package io.domainmix.core.model;

import io.domainmix.core.data.LabelKind;
import java.io.Serializable;
import java.util.Objects;

/**
 * Everything needed to build a model: its family, input dimension, whether it fits an
 * intercept, and for the MLP the hidden width, activation and output kind.
 */
public final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelType type;
    private final int dimension;
    private final boolean intercept;
    private final int hidden;
    private final Activation activation;
    private final LabelKind mlpOutput;

    private ModelSpec(ModelType type, int dimension, boolean intercept, int hidden, Activation activation, LabelKind mlpOutput) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        if (type == ModelType.MLP && hidden <= 0) {
            throw new IllegalArgumentException("hidden width must be positive: " + hidden);
        }
        this.type = Objects.requireNonNull(type);
        this.dimension = dimension;
        this.intercept = intercept;
        this.hidden = hidden;
        this.activation = activation;
        this.mlpOutput = mlpOutput;
    }

    public static ModelSpec linear(int dimension, boolean intercept) {
        return new ModelSpec(ModelType.LINEAR, dimension, intercept, 0, null, LabelKind.REAL);
    }

    public static ModelSpec logistic(int dimension, boolean intercept) {
        return new ModelSpec(ModelType.LOGISTIC, dimension, intercept, 0, null, LabelKind.BINARY);
    }

    public static ModelSpec mlp(int dimension, int hidden, Activation activation, LabelKind output) {
        return new ModelSpec(ModelType.MLP, dimension, true, hidden, activation, output);
    }

    /** Builds a spec from option values; {@code hidden}, {@code activation} and {@code output} matter only for MLP. */
    public static ModelSpec of(ModelType type, int dimension, boolean intercept, int hidden, Activation activation, LabelKind output) {
        switch (type) {
            case LINEAR: return linear(dimension, intercept);
            case LOGISTIC: return logistic(dimension, intercept);
            default: return mlp(dimension, hidden, activation, output);
        }
    }

    public ModelType type() {
        return type;
    }

    public int dimension() {
        return dimension;
    }

    public boolean intercept() {
        return intercept;
    }

    public int hidden() {
        return hidden;
    }

    public Activation activation() {
        return activation;
    }

    /** The labels this model is trained on. */
    public LabelKind labelKind() {
        return type == ModelType.LINEAR ? LabelKind.REAL : type == ModelType.LOGISTIC ? LabelKind.BINARY : mlpOutput;
    }

    public Model create() {
        switch (type) {
            case LINEAR: return new LinearRegression(dimension, intercept);
            case LOGISTIC: return new LogisticRegression(dimension, intercept);
            default: return new Mlp(dimension, hidden, activation, mlpOutput);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelSpec)) {
            return false;
        }
        ModelSpec s = (ModelSpec) o;
        return type == s.type && dimension == s.dimension && intercept == s.intercept && hidden == s.hidden
                && activation == s.activation && mlpOutput == s.mlpOutput;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, dimension, intercept, hidden, activation, mlpOutput);
    }

    @Override
    public String toString() {
        return type.optionName() + "(d=" + dimension + (intercept ? ", intercept" : "")
                + (type == ModelType.MLP ? ", h=" + hidden + ", " + activation.optionName() + ", " + mlpOutput : "") + ")";
    }
}
