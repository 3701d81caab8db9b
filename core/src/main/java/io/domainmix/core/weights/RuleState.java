package io.domainmix.core.weights;

/**
 * Where a weight rule keeps its own state between recomputations: numbers per domain and numbers
 * of the run, in a layout the rule defines (null until the rule first stores them). The trainer
 * backs this with its checkpointed state, so a restored run continues the rule exactly; a rule
 * must keep everything it carries over here, never in its own fields (rules are shared and
 * stateless).
 */
public interface RuleState {
    /** Domain k's numbers, or null before the rule stored any. */
    double[] domain(int k);

    void setDomain(int k, double[] values);

    /** The run's numbers, or null before the rule stored any. */
    double[] global();

    void setGlobal(double[] values);

    /** A state kept only in memory, e.g. for a one-off computation or a test. */
    static RuleState inMemory() {
        return new RuleState() {
            /** Allocated on the first store: a stateless rule's one-off computation allocates nothing. */
            private java.util.Map<Integer, double[]> perDomain;
            private double[] global;

            @Override
            public double[] domain(int k) {
                return perDomain == null ? null : perDomain.get(k);
            }

            @Override
            public void setDomain(int k, double[] values) {
                if (perDomain == null) {
                    perDomain = new java.util.HashMap<>();
                }
                perDomain.put(k, values);
            }

            @Override
            public double[] global() {
                return global;
            }

            @Override
            public void setGlobal(double[] values) {
                global = values;
            }
        };
    }
}
