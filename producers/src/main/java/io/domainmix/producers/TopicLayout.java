package io.domainmix.producers;

import java.util.regex.Pattern;

/**
 * Where each domain's examples go: one topic per domain, {@code <prefix>.<domain>} (the default;
 * the job subscribes to the pattern {@code <prefix>\..*}), or one shared topic for all domains.
 * In both layouts the record carries the domain, so a consumer never has to parse topic names,
 * and the record key is the domain too unless {@link #withoutKeys} says otherwise. Values are
 * encoded in the layout's {@link WireFormat} (JSON unless {@link #withFormat} says otherwise).
 *
 * <p>A key puts all of a domain's records in one partition: their order is kept, and one reader
 * of the job decodes them all. Without keys Kafka spreads them over the partitions, so several
 * readers share a busy domain's decoding.
 *
 * <p>Kafka topic names allow only {@code [a-zA-Z0-9._-]}; other characters of a domain name
 * become {@code _} in its topic (the record keeps the real name).
 */
public final class TopicLayout {
    public static final String DEFAULT_PREFIX = "domainmix";
    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9._-]");
    private static final Pattern VALID_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String prefix;
    private final String sharedTopic;
    private final String truthTopic;
    private final WireFormat format;
    private final boolean keyed;

    private TopicLayout(String prefix, String sharedTopic, String truthTopic) {
        this(prefix, sharedTopic, truthTopic, WireFormat.JSON, true);
    }

    private TopicLayout(String prefix, String sharedTopic, String truthTopic, WireFormat format, boolean keyed) {
        this.prefix = prefix;
        this.sharedTopic = sharedTopic;
        this.truthTopic = truthTopic;
        this.format = format;
        this.keyed = keyed;
        requireValid(prefix + ".x", "topic prefix '" + prefix + "'");
        if (sharedTopic != null) {
            requireValid(sharedTopic, "topic '" + sharedTopic + "'");
        }
        if (truthTopic != null) {
            requireValid(truthTopic, "truth topic '" + truthTopic + "'");
        }
    }

    /** One topic per domain; the truth topic defaults to {@code <prefix>-truth} when null. */
    public static TopicLayout perDomain(String prefix, String truthTopic) {
        return new TopicLayout(prefix, null, truthTopic);
    }

    public static TopicLayout shared(String topic, String prefix, String truthTopic) {
        return new TopicLayout(prefix, topic, truthTopic);
    }

    /** The default truth topic name for a prefix. */
    public static String defaultTruthTopic(String prefix) {
        return prefix + "-truth";
    }

    /** The same layout with examples encoded in {@code format}. */
    public TopicLayout withFormat(WireFormat format) {
        return new TopicLayout(prefix, sharedTopic, truthTopic, format, keyed);
    }

    /** The same layout with examples written without keys (spread over the partitions). */
    public TopicLayout withoutKeys() {
        return new TopicLayout(prefix, sharedTopic, truthTopic, format, false);
    }

    public WireFormat format() {
        return format;
    }

    /** The record key of a domain's examples: the domain, or null without keys. */
    public String keyFor(String domain) {
        return keyed ? domain : null;
    }

    public String topicFor(String domain) {
        if (sharedTopic != null) {
            return sharedTopic;
        }
        String topic = prefix + "." + INVALID.matcher(domain).replaceAll("_");
        return topic.length() <= 249 ? topic : topic.substring(0, 249);
    }

    public boolean isShared() {
        return sharedTopic != null;
    }

    public String prefix() {
        return prefix;
    }

    /** The topic for the ground truth, or null when it is not written to Kafka. */
    public String truthTopic() {
        return truthTopic;
    }

    private static void requireValid(String topic, String what) {
        if (!VALID_TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException(what + " is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
        }
    }
}
