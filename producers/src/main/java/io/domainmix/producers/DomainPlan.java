package io.domainmix.producers;

import io.domainmix.core.synth.DomainSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What to produce for one synthetic domain: its generator settings ({@link DomainSpec}: feature
 * scale C, noise σ² or flip rate q) and its schedule: rate in examples per second (0 = as fast
 * as possible), how many examples (0 = until stopped) and the delay before the first one.
 */
public final class DomainPlan {
    /** Default rate of a domain, examples per second. */
    public static final double DEFAULT_RATE = 1000;
    /** Default number of examples per domain. */
    public static final long DEFAULT_COUNT = 10_000;

    private final DomainSpec spec;
    private final double rate;
    private final long count;
    private final double delaySeconds;

    public DomainPlan(DomainSpec spec, double rate, long count, double delaySeconds) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate of domain " + spec.name() + " must be >= 0 (0 = unlimited): " + rate);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count of domain " + spec.name() + " must be >= 0 (0 = until stopped): " + count);
        }
        if (!(delaySeconds >= 0) || Double.isInfinite(delaySeconds)) {
            throw new IllegalArgumentException("delay of domain " + spec.name() + " must be >= 0 seconds: " + delaySeconds);
        }
        this.spec = spec;
        this.rate = rate;
        this.count = count;
        this.delaySeconds = delaySeconds;
    }

    public DomainSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public double rate() {
        return rate;
    }

    /** Examples to produce; 0 means no limit. */
    public long count() {
        return count;
    }

    public boolean bounded() {
        return count > 0;
    }

    public double delaySeconds() {
        return delaySeconds;
    }

    /**
     * Parses {@code name=a,scale=1,noise=20,flip=0.1,rate=1000,count=5000,delay=0,offset=0}. Keys not given
     * are taken from {@code base} when it is not null (an experiment's domain of the same name),
     * else from the defaults (scale 1, noise 1, flip 0, and the given default rate and count).
     *
     * @throws IllegalArgumentException naming the offending key or value
     */
    public static DomainPlan parse(String text, DomainPlan base, double defaultRate, long defaultCount) {
        return fromFields(keyValues(text), base, defaultRate, defaultCount, text);
    }

    /**
     * The same as {@link #parse} from fields already split (e.g. one entry of a spec file).
     * {@code kv} keys are lower case; {@code context} names the source in error messages.
     */
    public static DomainPlan fromFields(Map<String, String> fields, DomainPlan base, double defaultRate,
            long defaultCount, String context) {
        Map<String, String> kv = new LinkedHashMap<>(fields);
        String text = context;
        String name = kv.remove("name");
        if (name == null) {
            if (base == null) {
                throw new IllegalArgumentException("domain '" + text + "' has no name=...");
            }
            name = base.name();
        }
        DomainSpec b = base == null ? null : base.spec();
        double scale = number(kv, "scale", b == null ? 1.0 : b.featureScale(), text);
        double noise = number(kv, "noise", b == null ? 1.0 : b.noiseVariance(), text);
        double flip = number(kv, "flip", b == null ? 0.0 : b.flipRate(), text);
        double rate = number(kv, "rate", base == null ? defaultRate : base.rate(), text);
        double countValue = number(kv, "count", base == null ? defaultCount : base.count(), text);
        double delay = number(kv, "delay", base == null ? 0.0 : base.delaySeconds(), text);
        double offset = number(kv, "offset", b == null ? 0.0 : b.labelOffset(), text);
        if (!kv.isEmpty()) {
            throw new IllegalArgumentException("domain '" + text + "': unknown key(s) " + kv.keySet()
                    + "; allowed: name, scale, noise, flip, rate, count, delay, offset");
        }
        if (countValue != Math.rint(countValue)) {
            throw new IllegalArgumentException("domain '" + text + "': count must be a whole number: " + countValue);
        }
        DomainSpec spec = new DomainSpec(name, scale, noise, flip, 1.0, offset);
        return new DomainPlan(b == null ? spec : spec.withChangesOf(b), rate, (long) countValue, delay);
    }

    /** This plan with the schedule replaced (generator settings kept). */
    public DomainPlan withSchedule(double newRate, long newCount, double newDelaySeconds) {
        return new DomainPlan(spec, newRate, newCount, newDelaySeconds);
    }

    /** Splits {@code k=v,k=v} into lower-case keys and trimmed values. */
    static Map<String, String> keyValues(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("domain '" + text + "': '" + p + "' is not key=value");
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (kv.put(key, p.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("domain '" + text + "': key '" + key + "' given twice");
            }
        }
        return kv;
    }

    private static double number(Map<String, String> kv, String key, double fallback, String text) {
        String v = kv.remove(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("domain '" + text + "': " + key + "=" + v + " is not a number");
        }
    }

    @Override
    public String toString() {
        return spec.name() + "(C=" + spec.featureScale() + ", σ²=" + spec.noiseVariance() + ", q=" + spec.flipRate()
                + ", rate=" + (rate == 0 ? "unlimited" : rate + "/s") + ", count=" + (count == 0 ? "unbounded" : count)
                + ", delay=" + delaySeconds + "s)";
    }
}
