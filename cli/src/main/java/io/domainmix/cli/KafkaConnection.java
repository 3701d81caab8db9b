package io.domainmix.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where Kafka is and how to log in: the bootstrap servers and the client properties given with
 * {@code -X key=value} (security settings, mostly), for every client a command makes.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) {
    public KafkaConnection {
        properties = Map.copyOf(new LinkedHashMap<>(properties));
    }

    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The properties of a client of any kind: the given ones and the bootstrap servers. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** The same settings as the job's options ({@code --kafka-property key=value} each). */
    public List<String> jobArguments() {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> {
            args.add("--kafka-property");
            args.add(k + "=" + v);
        });
        return args;
    }
}
