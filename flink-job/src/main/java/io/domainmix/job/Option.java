package io.domainmix.job;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.Function;

/**
 * One command-line option of the job: its name (used as {@code --name value}), the type shown to
 * users, the default, a parser that also validates (it throws {@link IllegalArgumentException}
 * with the allowed values), and a description. Declared once in {@link JobOptions}; the README
 * table is rendered from these declarations.
 *
 * @param <T> the parsed type
 */
public record Option<T>(String name, String type, T defaultValue, String defaultText,
                        Parser<T> parser, boolean repeatable, String description) implements Serializable {

    /** Parses and validates one value; must throw {@link IllegalArgumentException} naming what is allowed. */
    @FunctionalInterface
    public interface Parser<T> extends Function<String, T>, Serializable {}

    public Option {
        Objects.requireNonNull(name);
        Objects.requireNonNull(parser);
    }

    public static <T> Option<T> of(String name, String type, T defaultValue, Parser<T> parser, String description) {
        return new Option<>(name, type, defaultValue, String.valueOf(defaultValue), parser, false, description);
    }

    /** An option whose default is shown as text (e.g. "auto", or "derived from ..."). */
    public static <T> Option<T> of(String name, String type, T defaultValue, String defaultText, Parser<T> parser,
                                   String description) {
        return new Option<>(name, type, defaultValue, defaultText, parser, false, description);
    }

    /** An option given any number of times; the values accumulate in order. */
    public static Option<String> repeated(String name, String type, Parser<String> parser, String description) {
        return new Option<>(name, type, null, "", parser, true, description);
    }

    /** Parses a value, prefixing any error with the option's name. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " '" + text + "': " + e.getMessage(), e);
        }
    }

    public boolean isBoolean() {
        return "boolean".equals(type);
    }
}
