package io.domainmix.core.model;

import java.util.Locale;

/** Hidden-layer activation of the MLP. */
public enum Activation {
    TANH {
        @Override
        public double apply(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivativeFromOutput(double a, double z) {
            return 1.0 - a * a;
        }
    },
    RELU {
        @Override
        public double apply(double z) {
            return z > 0 ? z : 0.0;
        }

        @Override
        public double derivativeFromOutput(double a, double z) {
            return z > 0 ? 1.0 : 0.0;
        }
    };

    public abstract double apply(double z);

    /** The derivative at pre-activation z, given also a = apply(z) (cheaper for tanh). */
    public abstract double derivativeFromOutput(double a, double z);

    public static Activation parse(String s) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(s.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + s + "'; allowed: tanh, relu");
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
