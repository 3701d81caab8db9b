package io.domainmix.core.weights;

import java.io.Serializable;

/**
 * The name of a registered weight rule, as settings carry it: serializable (the rule itself is
 * looked up by name where it runs, once), equal by name.
 *
 * @param <R> the kind of rule
 */
abstract class PolicyName<R extends WeightRule> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private transient R rule;

    PolicyName(String name) {
        this.name = name;
    }

    /** The rule of that name in the registry. */
    abstract R lookUp(String name);

    public String optionName() {
        return name;
    }

    public R rule() {
        R r = rule;
        if (r == null) {
            r = lookUp(name);
            rule = r;
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((PolicyName<?>) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
