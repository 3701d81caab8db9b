package io.domainmix.core.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The option spelling of the trainer's enum settings: lower-case names, parsed with the allowed values in the error. */
final class OptionEnums {
    private OptionEnums() {}

    static String optionName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E value : type.getEnumConstants()) {
            if (optionName(value).equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "'; allowed: " + allowed(type));
    }

    static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(OptionEnums::optionName).collect(Collectors.joining(", "));
    }
}
