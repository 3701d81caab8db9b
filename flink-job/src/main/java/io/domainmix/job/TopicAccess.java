package io.domainmix.job;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;

/**
 * Checks, before the job starts, that its Kafka user may do what the job will do on each output
 * topic. Without the check a missing ACL shows only when the first record goes to that topic
 * (for the dead-letter topic: the first bad record, maybe days later), as a failing task that
 * restarts over and over.
 */
public final class TopicAccess {
    private static final long TIMEOUT_S = 60;

    private TopicAccess() {}

    /** What the job does on each of its output topics. */
    public static Map<String, Set<AclOperation>> required(JobOptions options) {
        Map<String, Set<AclOperation>> need = new LinkedHashMap<>();
        // the job only writes its outputs; it reads nothing back from them
        need.put(options.get(JobOptions.SNAPSHOT_TOPIC), EnumSet.of(AclOperation.WRITE));
        need.put(options.get(JobOptions.METRICS_TOPIC), EnumSet.of(AclOperation.WRITE));
        need.put(options.get(JobOptions.DEAD_LETTER_TOPIC), EnumSet.of(AclOperation.WRITE));
        return need;
    }

    /**
     * Fails with a message naming the topic and the missing operation when the user of
     * {@code admin} lacks one of {@code required} (as the broker's authorizer reports it).
     */
    public static void check(Admin admin, Map<String, Set<AclOperation>> required) throws InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(required.keySet(),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        for (Map.Entry<String, Set<AclOperation>> e : required.entrySet()) {
            String topic = e.getKey();
            TopicDescription d;
            try {
                d = described.get(topic).get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException ex) {
                throw new MissingAccessException("cannot use Kafka topic '" + topic + "': " + KafkaErrors.describe(ex), ex.getCause());
            } catch (TimeoutException ex) {
                throw new MissingAccessException("no answer from Kafka within " + TIMEOUT_S + " s about topic '" + topic + "'", ex);
            }
            Set<AclOperation> allowed = d.authorizedOperations();
            if (allowed == null) {
                continue; // a broker without an authorizer allows everything and reports nothing
            }
            for (AclOperation op : e.getValue()) {
                if (!allowed.contains(op) && !allowed.contains(AclOperation.ALL)) {
                    throw new MissingAccessException("the job's Kafka user may not " + op + " topic '" + topic
                            + "' (allowed: " + allowed + "); grant it with an ACL, e.g. kafka-acls --add --allow-principal User:<user> --operation "
                            + op + " --topic " + topic, null);
                }
            }
        }
    }

    /** An operation the job needs on a topic that its user may not do. */
    public static final class MissingAccessException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
