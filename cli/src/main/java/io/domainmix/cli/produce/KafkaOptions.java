package io.domainmix.cli.produce;

import io.domainmix.producers.ExampleProducer;
import io.domainmix.producers.KafkaTarget;
import io.domainmix.producers.ProgressDisplay;
import io.domainmix.producers.TopicLayout;
import io.domainmix.producers.WireFormat;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The options both producers share: where Kafka is, how topics are laid out, how progress shows. */
public final class KafkaOptions {
    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:DOMAINMIX_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env DOMAINMIX_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = {"-X", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka client property, passed through unchanged (repeatable), e.g. -X security.protocol=SASL_SSL. "
                    + "Applied after the defaults (idempotent, acks=all, linger.ms=5, lz4).")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--producer-config", paramLabel = "FILE",
            description = "A properties file of Kafka client settings (e.g. security); --producer-property wins over it.")
    Path producerConfig;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicLayout.DEFAULT_PREFIX,
            description = "Each domain goes to topic PREFIX.<domain> (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Write all domains to this one topic instead (the domain is in the key and the record).")
    String sharedTopic;

    @Option(names = "--wire-format", paramLabel = "FORMAT", defaultValue = "json",
            description = "Record format: json (default) or binary (compact and versioned; the job reads both, "
                    + "telling them apart by the first byte).")
    String wireFormat;

    @Option(names = "--no-keys", description = "Write records without keys, so that Kafka spreads each domain over its "
            + "topic's partitions and several job readers share its decoding (default: the domain is the key, "
            + "one partition per domain, order kept).")
    boolean noKeys;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of topics this command creates (default: the broker's default).")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replication factor of topics this command creates (default: the broker's default).")
    Short replicationFactor;

    @Option(names = "--no-create-topics", description = "Do not create missing topics (rely on existing or auto-created ones).")
    boolean noCreateTopics;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a live table on a terminal, else a line every interval), terminal, plain or off (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS",
            description = "Seconds between progress updates (default: 0.5 on a terminal, 10 otherwise).")
    Double progressInterval;

    public KafkaTarget target() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        if (producerConfig != null) {
            Properties file = new Properties();
            try (Reader r = Files.newBufferedReader(producerConfig, StandardCharsets.UTF_8)) {
                file.load(r);
            }
            file.stringPropertyNames().forEach(k -> props.put(k, file.getProperty(k)));
        }
        props.putAll(producerProperties);
        return new KafkaTarget(bootstrapServers, props, Optional.ofNullable(partitions),
                Optional.ofNullable(replicationFactor), !noCreateTopics);
    }

    /** The layout; {@code truthTopic} null: none. */
    public TopicLayout layout(String truthTopic) {
        TopicLayout layout = sharedTopic != null ? TopicLayout.shared(sharedTopic, topicPrefix, truthTopic)
                : TopicLayout.perDomain(topicPrefix, truthTopic);
        layout = layout.withFormat(WireFormat.parse(wireFormat));
        return noKeys ? layout.withoutKeys() : layout;
    }

    public ExampleProducer.Output output() {
        ProgressDisplay.Mode mode;
        switch (progress.toLowerCase(Locale.ROOT)) {
            case "auto": mode = ProgressDisplay.Mode.detect(); break;
            case "terminal": mode = ProgressDisplay.Mode.TERMINAL; break;
            case "plain": mode = ProgressDisplay.Mode.PLAIN; break;
            case "off": mode = ProgressDisplay.Mode.OFF; break;
            default: throw new IllegalArgumentException("--progress must be auto, terminal, plain or off: " + progress);
        }
        Duration interval = progressInterval != null ? Duration.ofMillis(Math.max(50, Math.round(progressInterval * 1000)))
                : mode == ProgressDisplay.Mode.TERMINAL ? Duration.ofMillis(500) : Duration.ofSeconds(10);
        return new ExampleProducer.Output(System.out, System.err, mode, interval);
    }
}
