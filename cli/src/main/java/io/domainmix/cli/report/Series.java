package io.domainmix.cli.report;

/** One line of a plot: y against x (examples seen), the points in order of x. */
public record Series(String name, double[] x, double[] y) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
        }
    }

    public int size() {
        return x.length;
    }

    public boolean isEmpty() {
        return x.length == 0;
    }

    /** The last y, or NaN for an empty series. */
    public double lastY() {
        return y.length == 0 ? Double.NaN : y[y.length - 1];
    }
}
