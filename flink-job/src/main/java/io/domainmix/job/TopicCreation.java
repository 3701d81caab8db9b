package io.domainmix.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a run writes to, where they do not exist yet. A topic that appears between
 * the look-up and the creation (made by a concurrent job, a consumer's metadata request on a
 * broker that creates topics on demand, or an earlier run) is as good as one made here.
 */
public final class TopicCreation {
    private static final long TIMEOUT_S = 60;

    private TopicCreation() {}

    /**
     * Creates the missing ones of {@code topics} with one partition and the broker's default
     * replication factor.
     *
     * @throws TopicCreationException naming the topic that could not be created, and why
     */
    public static void createMissing(Admin admin, Collection<String> topics) throws InterruptedException {
        createMissing(admin, topics, Map.of());
    }

    /** As {@link #createMissing(Admin, Collection)}, each new topic with the given topic configs. */
    public static void createMissing(Admin admin, Collection<String> topics, Map<String, String> configs)
            throws InterruptedException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new TopicCreationException("cannot list the topics of the Kafka cluster: " + KafkaErrors.describe(e), e.getCause());
        } catch (TimeoutException e) {
            throw new TopicCreationException("cannot list the topics of the Kafka cluster within " + TIMEOUT_S + " s", e);
        }
        List<NewTopic> missing = new ArrayList<>();
        for (String t : topics) {
            if (!existing.contains(t)) {
                missing.add(new NewTopic(t, Optional.of(1), Optional.empty()).configs(configs));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    // a topic the user may not DESCRIBE looks missing, so it is the creation that is refused
                    throw new TopicCreationException("the Kafka user may not use topic '" + created.getKey()
                            + "': it needs DESCRIBE on it (and CREATE if it does not exist yet); " + KafkaErrors.describe(e),
                            e.getCause());
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new TopicCreationException("cannot create Kafka topic '" + created.getKey() + "': "
                            + KafkaErrors.describe(e), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new TopicCreationException("cannot create Kafka topic '" + created.getKey() + "' within " + TIMEOUT_S + " s", e);
            }
        }
        try {
            awaitDescribed(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new TopicCreationException("Kafka created " + missing.stream().map(NewTopic::name).toList()
                    + " but does not describe them: " + KafkaErrors.describe(e), e);
        }
    }

    /**
     * Waits until the broker describes every one of {@code topics}: right after a creation the
     * metadata may not have spread yet, and whatever uses a topic then hears "unknown topic".
     */
    public static void awaitDescribed(Admin admin, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** A topic that could not be created, with a message that names it. */
    public static final class TopicCreationException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TopicCreationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
