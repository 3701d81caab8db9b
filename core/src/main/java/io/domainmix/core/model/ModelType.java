package io.domainmix.core.model;

import java.util.Locale;

/** The model families the system trains. */
public enum ModelType {
    /** {@code f = θᵀx}, squared loss. */
    LINEAR,
    /** {@code f = θᵀx}, logistic loss on labels in {0, 1}. */
    LOGISTIC,
    /** One hidden layer (tanh or ReLU), linear output with squared loss or sigmoid output with logistic loss. */
    MLP;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelType parse(String s) {
        for (ModelType t : values()) {
            if (t.optionName().equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown model type '" + s + "'; allowed: linear, logistic, mlp");
    }
}
