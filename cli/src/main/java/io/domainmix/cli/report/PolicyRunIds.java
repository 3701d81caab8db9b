package io.domainmix.cli.report;

import io.domainmix.core.sim.PolicySpec;
import java.util.Locale;

/**
 * Run ids that carry their policy. Kafka topic names and run ids allow only letters, digits,
 * '.', '_' and '-', so the '+' and ':' of a policy name ({@code erma+va},
 * {@code uniform+va:conflated}) are written as '_' in a run id.
 */
public final class PolicyRunIds {
    private PolicyRunIds() {}

    /** {@code <prefix>.<policy>} with the policy written in run-id characters. */
    public static String runId(String prefix, PolicySpec policy) {
        return prefix + "." + policy.name().replace('+', '_').replace(':', '_');
    }

    /** The policy name of a run id made by {@link #runId}, or the run id when it holds none. */
    public static String label(String runId) {
        int dot = runId.lastIndexOf('.');
        String tail = runId.substring(dot + 1);
        String candidate = tail.toLowerCase(Locale.ROOT);
        if (!candidate.startsWith("conflated-")) {
            int first = candidate.indexOf('_');
            if (first < 0) {
                return runId;
            }
            candidate = candidate.substring(0, first) + "+" + candidate.substring(first + 1).replace('_', ':');
        }
        try {
            return PolicySpec.parse(candidate).name();
        } catch (IllegalArgumentException e) {
            return runId;
        }
    }
}
