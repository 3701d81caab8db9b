package io.domainmix.job;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * One line for a Kafka failure a user can fix (wrong credentials, a missing ACL), instead of
 * the stack trace of whatever call met it first. The broker's messages never contain the
 * password, and neither do these lines.
 */
public final class KafkaErrors {
    private KafkaErrors() {}

    /** The line for an authentication or authorization failure anywhere in the causes, if there is one. */
    public static Optional<String> security(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return Optional.of("Kafka authentication failed (check the user name, password and SASL mechanism): "
                        + t.getMessage());
            }
            if (t instanceof TopicAuthorizationException e) {
                return Optional.of("not authorized on Kafka " + (e.unauthorizedTopics().isEmpty() ? "topic"
                        : "topic(s) " + e.unauthorizedTopics()) + " (the user needs an ACL for it): " + e.getMessage());
            }
            if (t instanceof GroupAuthorizationException e) {
                return Optional.of("not authorized on Kafka consumer group '" + e.groupId()
                        + "' (the user needs a READ ACL for it): " + e.getMessage());
            }
            if (t instanceof AuthorizationException) {
                return Optional.of("not authorized by Kafka (the user needs an ACL for this): " + t.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The security line if there is one, else the innermost cause's message. */
    public static String describe(Throwable failure) {
        Optional<String> security = security(failure);
        if (security.isPresent()) {
            return security.get();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
