package io.domainmix.core.train;

/**
 * The examples one domain keeps for sampling, as a ring: features row-major ({@code capacity × d}),
 * labels and base weights. Its fill level and write position are in {@link DomainTrainerState}
 * (small numbers that change with every arrival); this part is the bulk, kept apart so that a
 * state backend can store each domain's ring under its own key and write only the rings that
 * changed since the last checkpoint.
 */
public final class DomainBuffer {
    public double[] x;
    public double[] y;
    public double[] weight;

    public DomainBuffer() {}

    DomainBuffer(int capacity, int dimension) {
        this.x = new double[capacity * dimension];
        this.y = new double[capacity];
        this.weight = new double[capacity];
    }
}
