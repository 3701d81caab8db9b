package io.domainmix.core.weights;

import java.util.List;
import java.util.Set;

/**
 * What every weight rule declares: its name (the spelling in {@code --loss-weights},
 * {@code --sampling} and {@code --policies}), a one-line description, its parameters and its
 * requirements. Rules are found by name through {@link PolicyRegistry}; a rule's state lives in a
 * {@link RuleState}, never in the rule, so one instance serves every run.
 */
public interface WeightRule {
    String name();

    String description();

    default List<RuleParameter<?>> parameters() {
        return List.of();
    }

    default Set<RuleRequirement> requirements() {
        return Set.of();
    }

    /**
     * Whether the generated options documentation lists this rule and its parameters: a rule
     * registered for tests or experiments says no, so the documentation shows what ships.
     */
    default boolean documented() {
        return true;
    }

    /** Checks between the settings and this rule beyond each parameter's own parser. */
    default void validate(WeightSettings settings) {}
}
