package io.domainmix.core.weights;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.Function;

/**
 * One parameter of a weight rule, declared once by the rule: the option name that sets it
 * everywhere ({@code --name value} in the job, {@code simulate}, {@code demo}), the type shown to
 * users, the default, a parser that also validates, and a description. The job's options and
 * their documentation are generated from these declarations.
 *
 * @param <T> the parsed type
 */
public record RuleParameter<T>(String name, String type, T defaultValue, String defaultText, Parser<T> parser,
                               String description) implements Serializable {

    /** Parses and validates one value; throws {@link IllegalArgumentException} saying what is allowed. */
    @FunctionalInterface
    public interface Parser<T> extends Function<String, T>, Serializable {}

    public RuleParameter {
        Objects.requireNonNull(name);
        Objects.requireNonNull(parser);
    }

    public static <T> RuleParameter<T> of(String name, String type, T defaultValue, Parser<T> parser, String description) {
        return new RuleParameter<>(name, type, defaultValue, String.valueOf(defaultValue), parser, description);
    }

    /** Parses a value, naming the parameter in any error. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " '" + text + "': " + e.getMessage(), e);
        }
    }

    /** A parser of a finite number within [min, max]. */
    public static Parser<Double> number(double min, double max) {
        return v -> {
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number; allowed: a number in [" + min + ", " + max + "]");
            }
            if (!(d >= min && d <= max) || !Double.isFinite(d)) {
                throw new IllegalArgumentException("allowed: a number in [" + min + ", " + max + "]");
            }
            return d;
        };
    }

    /** A parser of {@code domain=weight,...} with finite positive weights. */
    public static Parser<java.util.Map<String, Double>> domainWeights() {
        return text -> {
            java.util.Map<String, Double> m = new java.util.TreeMap<>();
            for (String part : text.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected domain=weight,... (e.g. d1=1,d2=0.05)");
                }
                double w;
                try {
                    w = Double.parseDouble(part.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: '" + part.substring(eq + 1).trim() + "'");
                }
                if (!(w > 0) || !Double.isFinite(w)) {
                    throw new IllegalArgumentException("must be finite and > 0: " + w);
                }
                m.put(part.substring(0, eq).trim(), w);
            }
            return m;
        };
    }
}
