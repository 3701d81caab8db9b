package io.domainmix.producers;

import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import java.util.Locale;

/**
 * How a producer encodes examples: JSON (the default, readable with any Kafka tool) or the compact
 * versioned binary format of {@link ExampleBinaryCodec} (about 40% of the bytes at d = 20 and far
 * cheaper to decode). The job tells the two apart by a record's first byte, so both may share
 * the same topics.
 */
public enum WireFormat {
    JSON,
    BINARY;

    public byte[] encode(Example e) {
        return this == BINARY ? ExampleBinaryCodec.encode(e) : ExampleJsonCodec.encode(e);
    }

    /** {@code json} or {@code binary}, in any case. */
    public static WireFormat parse(String s) {
        for (WireFormat f : values()) {
            if (f.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("--wire-format: unknown value '" + s + "'; allowed: json, binary");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
