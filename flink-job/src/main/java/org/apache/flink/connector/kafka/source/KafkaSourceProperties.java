package org.apache.flink.connector.kafka.source;

import java.util.Properties;

/**
 * The consumer properties a built {@link KafkaSource} gives its readers (the builder adds its own
 * to the ones it was given). The connector keeps them package-private; this accessor lives in its
 * package so that the access is checked by the compiler, not looked up by name at run time.
 * Used by {@code io.domainmix.job.arrival.MergingKafkaSource}, which builds the readers itself.
 */
public final class KafkaSourceProperties {
    private KafkaSourceProperties() {}

    public static Properties of(KafkaSource<?> source) {
        Properties p = new Properties();
        p.putAll(source.getConfiguration().toMap());
        return p;
    }
}
