package io.domainmix.core.rng;

/**
 * A small, fast pseudo-random generator whose whole state is one {@code long}, so that a
 * checkpoint can store it exactly and a restored job draws the same numbers it would have
 * drawn without the failure. (java.util.Random and SplittableRandom hide their state.)
 *
 * <p>SplitMix64 (Steele, Lea and Flood 2014): the state advances by a fixed odd constant and
 * each output is a bijective mix of the state, which passes BigCrush.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The complete generator state; {@code new SplitMix64(state())} continues the sequence. */
    public long state() {
        return state;
    }

    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-shift with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 33) * bound;
        long low = m & 0x7fffffffL;
        if (low < bound) {
            long threshold = (0x80000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 33) * bound;
                low = m & 0x7fffffffL;
            }
        }
        return (int) (m >>> 31);
    }

    /** Standard normal by Box–Muller; no cached second value, so the state stays one long. */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1], keeps log finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A seed for an independent stream derived from this seed and a name (e.g. a domain). */
    public static long derive(long seed, String name) {
        long h = seed ^ 0x5DEECE66DL;
        for (int i = 0; i < name.length(); i++) {
            h = mix(h + name.charAt(i) * GOLDEN_GAMMA);
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
