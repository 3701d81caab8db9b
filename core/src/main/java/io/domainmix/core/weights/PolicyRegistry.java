package io.domainmix.core.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The weight rules by name. Rules register through {@link ServiceLoader}: a class listed in
 * {@code META-INF/services/io.domainmix.core.weights.LossWeightRule} (or {@code ...SamplingRule})
 * anywhere on the classpath of the class loader that loaded this class, so a policy in another
 * jar, or in a test source set, is plugged in without changing any other file. The built-in
 * rules are listed the same way in core's own file, in the order the documentation shows them.
 * Names and parameter names must be unique; a clash fails the first lookup, naming both classes.
 */
public final class PolicyRegistry {
    private static final Map<String, LossWeightRule> LOSS = new LinkedHashMap<>();
    private static final Map<String, SamplingRule> SAMPLING = new LinkedHashMap<>();
    private static final Map<String, RuleParameter<?>> PARAMETERS = new LinkedHashMap<>();

    static {
        ClassLoader loader = PolicyRegistry.class.getClassLoader();
        for (LossWeightRule r : builtInsFirst(ServiceLoader.load(LossWeightRule.class, loader))) {
            add(LOSS, r, "loss-weight");
        }
        for (SamplingRule r : builtInsFirst(ServiceLoader.load(SamplingRule.class, loader))) {
            add(SAMPLING, r, "sampling");
        }
    }

    /**
     * The rules in load order, the built-in ones (this project's {@code rules} package) first: a
     * plug-in on an earlier classpath entry must not reorder the documented list.
     */
    private static <R> List<R> builtInsFirst(Iterable<R> loaded) {
        String builtIn = PolicyRegistry.class.getPackageName() + ".rules";
        List<R> out = new ArrayList<>();
        List<R> plugIns = new ArrayList<>();
        for (R r : loaded) {
            (r.getClass().getPackageName().equals(builtIn) ? out : plugIns).add(r);
        }
        out.addAll(plugIns);
        return out;
    }

    private PolicyRegistry() {}

    private static <R extends WeightRule> void add(Map<String, R> rules, R rule, String kind) {
        R before = rules.putIfAbsent(rule.name(), rule);
        if (before != null && before.getClass() != rule.getClass()) {
            throw new IllegalStateException("two " + kind + " policies are named '" + rule.name() + "': "
                    + before.getClass().getName() + " and " + rule.getClass().getName());
        }
        for (RuleParameter<?> p : rule.parameters()) {
            RuleParameter<?> other = PARAMETERS.putIfAbsent(p.name(), p);
            if (other != null && other != p) {
                throw new IllegalStateException("two policy parameters are named '" + p.name() + "' (one of "
                        + rule.getClass().getName() + ")");
            }
        }
    }

    /** The loss-weight rule of that name (case-insensitive). */
    public static LossWeightRule lossRule(String name) {
        LossWeightRule r = LOSS.get(normalized(name));
        if (r == null) {
            throw new IllegalArgumentException("unknown loss-weight policy '" + name + "'; allowed: " + lossNames(", "));
        }
        return r;
    }

    /** The sampling rule of that name (case-insensitive). */
    public static SamplingRule samplingRule(String name) {
        SamplingRule r = SAMPLING.get(normalized(name));
        if (r == null) {
            throw new IllegalArgumentException("unknown sampling policy '" + name + "'; allowed: " + samplingNames(", "));
        }
        return r;
    }

    public static List<LossWeightRule> lossRules() {
        return Collections.unmodifiableList(new ArrayList<>(LOSS.values()));
    }

    public static List<SamplingRule> samplingRules() {
        return Collections.unmodifiableList(new ArrayList<>(SAMPLING.values()));
    }

    /** The loss-weight policies' names, joined by {@code separator}. */
    public static String lossNames(String separator) {
        return String.join(separator, LOSS.keySet());
    }

    public static String samplingNames(String separator) {
        return String.join(separator, SAMPLING.keySet());
    }

    /** The names of the documented rules ({@link WeightRule#documented()}), joined by {@code separator}. */
    public static String documentedNames(List<? extends WeightRule> rules, String separator) {
        return rules.stream().filter(WeightRule::documented).map(WeightRule::name).collect(Collectors.joining(separator));
    }

    /** Every rule's parameters, loss-weight rules first, each once. */
    public static List<RuleParameter<?>> parameters() {
        return List.copyOf(PARAMETERS.values());
    }

    /** Whether a documented rule declares the parameter. */
    public static boolean documented(RuleParameter<?> p) {
        return java.util.stream.Stream.concat(LOSS.values().stream(), SAMPLING.values().stream())
                .anyMatch(r -> r.documented() && r.parameters().contains(p));
    }

    /** The parameter of that name, or null. */
    public static RuleParameter<?> parameter(String name) {
        return PARAMETERS.get(name);
    }

    private static String normalized(String name) {
        return name.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
