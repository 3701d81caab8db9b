package io.domainmix.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Command-line arguments parsed against a list of {@link Option}s: {@code --name value},
 * {@code --name=value}, and for booleans a bare {@code --name}. Shared by the jobs' option sets.
 */
record OptionArgs(Map<String, Object> values, Map<String, List<String>> repeated) {

    /** @throws IllegalArgumentException naming the option and what it allows */
    static OptionArgs parse(List<Option<?>> options, String... args) {
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> o : options) {
            byName.put(o.name(), o);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected an option --name, found '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option<?> o = byName.get(name);
            if (o == null) {
                throw new IllegalArgumentException("unknown option --" + name + "; known options: "
                        + byName.keySet().stream().map(n -> "--" + n).collect(Collectors.joining(", ")));
            }
            if (value == null) {
                boolean nextIsValue = i + 1 < args.length && !args[i + 1].startsWith("--");
                if (nextIsValue) {
                    value = args[++i];
                } else if (o.isBoolean()) {
                    value = "true";
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value (" + o.type() + ")");
                }
            }
            Object parsed = o.parse(value);
            if (o.repeatable()) {
                repeated.computeIfAbsent(name, n -> new ArrayList<>()).add((String) parsed);
            } else {
                values.put(name, parsed);
            }
        }
        return new OptionArgs(values, repeated);
    }

    /** {@code key=value} pairs (already validated) as properties. */
    static Properties properties(List<String> pairs) {
        Properties p = new Properties();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            p.setProperty(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return p;
    }

    /** A plain-text usage summary of {@code options}. */
    static String usage(List<Option<?>> options) {
        StringBuilder b = new StringBuilder("Options (all have defaults):\n");
        for (Option<?> o : options) {
            b.append(String.format(Locale.ROOT, "  --%-26s %s%n      %s%s%n", o.name(), o.type(),
                    o.description(), o.defaultText().isEmpty() ? "" : " Default: " + o.defaultText().replace("`", "") + "."));
        }
        return b.toString();
    }

    /** {@code options} as a Markdown table: option, values, default, description. */
    static String markdownTable(List<Option<?>> options) {
        StringBuilder b = new StringBuilder();
        b.append("| option | values | default | description |\n");
        b.append("|---|---|---|---|\n");
        for (Option<?> o : options) {
            b.append("| `--").append(o.name()).append("` | ").append(cell(o.type())).append(" | ")
                    .append(o.defaultText().isEmpty() ? "" : o.defaultText().startsWith("`") || o.defaultText().startsWith("(")
                            ? cell(o.defaultText()) : "`" + cell(o.defaultText()) + "`")
                    .append(" | ").append(cell(o.description())).append(o.repeatable() ? " (repeatable)" : "")
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
