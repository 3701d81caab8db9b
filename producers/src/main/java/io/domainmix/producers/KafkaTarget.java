package io.domainmix.producers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka cluster a producer writes to: bootstrap servers, client properties (security
 * settings and other overrides, passed through unchanged), and how topics are created.
 *
 * <p>The producer is idempotent with {@code acks=all}: a retried send after a lost response
 * cannot write an example twice, and an acknowledged example is on every in-sync replica.
 * Client properties are applied last, so a user can override anything, including these (Kafka
 * itself rejects contradictory settings such as idempotence with {@code acks=1}).
 */
public final class KafkaTarget {
    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final Optional<Integer> partitions;
    private final Optional<Short> replicationFactor;
    private final boolean createTopics;
    private final Set<String> ensured = new HashSet<>();

    /**
     * @param partitions partitions of a topic that this producer creates; empty: the broker's default
     * @param replicationFactor of a created topic; empty: the broker's default
     * @param createTopics false to rely on existing (or broker auto-created) topics
     */
    public KafkaTarget(String bootstrapServers, Map<String, String> clientProperties, Optional<Integer> partitions,
            Optional<Short> replicationFactor, boolean createTopics) {
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = Map.copyOf(clientProperties);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.createTopics = createTopics;
    }

    public static KafkaTarget of(String bootstrapServers) {
        return new KafkaTarget(bootstrapServers, Map.of(), Optional.empty(), Optional.empty(), true);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // batches of a few ms: throughput at high rates, at no visible cost at low ones
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "domainmix-producer");
        // One request in flight per connection: with several, a batch whose acknowledgement was
        // lost could be retried after five later batches had landed, past the broker's window
        // for recognising duplicates, and then failed as out of sequence until it expired (seen
        // on a loaded single-node broker). Batching (linger) keeps throughput; override with -X.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.putAll(clientProperties);
        return p;
    }

    public KafkaProducer<String, byte[]> newProducer() {
        return new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        // security and connection settings apply to the admin client too; producer-only keys would only warn
        for (Map.Entry<String, String> e : clientProperties.entrySet()) {
            if (!ProducerConfig.configNames().contains(e.getKey()) || isSharedClientKey(e.getKey())) {
                p.put(e.getKey(), e.getValue());
            }
        }
        return p;
    }

    private void awaitLeaders(Admin admin, List<NewTopic> topics) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (NewTopic t : topics) {
            names.add(t.name());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYet) {
                // metadata of a just-created topic may not have reached the broker we asked yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " on " + bootstrapServers
                        + " have no leader for every partition after 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static boolean isSharedClientKey(String key) {
        return key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")
                || key.equals("bootstrap.servers") || key.startsWith("client.dns") || key.startsWith("metadata.")
                || key.equals("request.timeout.ms") || key.equals("default.api.timeout.ms");
    }

    /**
     * Creates the topics that do not exist yet (once per topic and instance) and waits until
     * every partition has a leader. A topic that another client created in the meantime is fine.
     * (Sending into a topic whose leaders are still being elected made a loaded broker reject an
     * idempotent batch as out of sequence until it expired.)
     */
    public synchronized void ensureTopics(List<String> topics) {
        if (!createTopics) {
            return;
        }
        List<NewTopic> missing = new ArrayList<>();
        for (String t : topics) {
            if (!ensured.contains(t)) {
                missing.add(new NewTopic(t, partitions, replicationFactor));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminProperties())) {
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e
                    : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + " on " + bootstrapServers
                                + ": " + ex.getCause().getMessage(), ex.getCause());
                    }
                } catch (TimeoutException ex) {
                    throw new IllegalStateException("no answer from " + bootstrapServers + " within 60 s while creating topic "
                            + e.getKey() + "; is the broker reachable?", ex);
                }
            }
            awaitLeaders(admin, missing);
            for (NewTopic t : missing) {
                ensured.add(t.name());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", ex);
        }
    }
}
