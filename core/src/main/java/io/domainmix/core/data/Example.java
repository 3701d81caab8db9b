package io.domainmix.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One training example of one domain: features {@code x}, label {@code y}, and an optional base
 * weight that multiplies its loss (default 1). Instances that come out of {@link ExampleJsonCodec}
 * are validated: every number is finite.
 *
 * <p>A plain class with public fields and a no-argument constructor so that Flink serializes it
 * with its POJO serializer rather than a generic fallback.
 */
public final class Example {
    public String domain;
    public double[] x;
    public double y;
    public double weight = 1.0;
    /** Optional producer-side identifier; null when absent. */
    public String id;
    /** Optional event time in epoch milliseconds; {@link Long#MIN_VALUE} when absent. */
    public long timestamp = Long.MIN_VALUE;

    public Example() {}

    public Example(String domain, double[] x, double y) {
        this(domain, x, y, 1.0, null, Long.MIN_VALUE);
    }

    public Example(String domain, double[] x, double y, double weight, String id, long timestamp) {
        this.domain = domain;
        this.x = x;
        this.y = y;
        this.weight = weight;
        this.id = id;
        this.timestamp = timestamp;
    }

    public int dim() {
        return x.length;
    }

    public boolean hasTimestamp() {
        return timestamp != Long.MIN_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Example)) {
            return false;
        }
        Example e = (Example) o;
        return Objects.equals(domain, e.domain) && Arrays.equals(x, e.x)
                && Double.compare(y, e.y) == 0 && Double.compare(weight, e.weight) == 0
                && Objects.equals(id, e.id) && timestamp == e.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, Arrays.hashCode(x), y, weight, id, timestamp);
    }

    @Override
    public String toString() {
        return "Example{domain=" + domain + ", x=" + Arrays.toString(x) + ", y=" + y
                + (weight != 1.0 ? ", w=" + weight : "") + "}";
    }
}
