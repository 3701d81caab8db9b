package io.domainmix.e2e;

import io.domainmix.core.synth.GroundTruth;
import io.domainmix.producers.ExampleProducer;
import io.domainmix.producers.KafkaTarget;
import io.domainmix.producers.ProduceSummary;
import io.domainmix.producers.SyntheticPlan;
import io.domainmix.producers.SyntheticProducer;
import io.domainmix.producers.TopicLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The project's synthetic producer feeding a broker from a background thread: a named
 * experiment's domains, each at {@code rate} examples per second up to {@code count}, one
 * topic per domain ({@code <prefix>.<domain>}). What was delivered, per domain, is the
 * producer's own count of acknowledged sends: the figure the job's counts must equal.
 */
public final class SyntheticFeed implements AutoCloseable {

    private final SyntheticPlan plan;
    private final SyntheticProducer producer;
    private final CompletableFuture<Void> running;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private SyntheticFeed(SyntheticPlan plan, String bootstrapServers, String topicPrefix) {
        this.plan = plan;
        PrintStream messages = new PrintStream(output, true, StandardCharsets.UTF_8);
        // One request in flight: on a machine loaded enough for a request to be answered late,
        // a retried first batch can otherwise arrive behind later ones, which the broker then
        // refuses as out of sequence for as long as the producer retries.
        KafkaTarget target = new KafkaTarget(bootstrapServers, Map.of("max.in.flight.requests.per.connection", "1"),
                Optional.empty(), Optional.empty(), true);
        this.producer = new SyntheticProducer(plan, target, TopicLayout.perDomain(topicPrefix, null), null,
                ExampleProducer.Output.quiet(messages));
        this.running = CompletableFuture.runAsync(producer);
    }

    /** Starts producing {@code experiment}'s domains; returns at once. */
    public static SyntheticFeed start(String bootstrapServers, String topicPrefix, String experiment, int dimension,
            long seed, double ratePerDomain, long countPerDomain) {
        return new SyntheticFeed(SyntheticPlan.ofExperiment(experiment, dimension, seed, ratePerDomain, countPerDomain),
                bootstrapServers, topicPrefix);
    }

    public SyntheticPlan plan() {
        return plan;
    }

    /** θ* (or the teacher network) the examples were drawn from. */
    public GroundTruth truth() {
        return plan.groundTruth();
    }

    /** Waits until every planned example is acknowledged; fails if any delivery failed. */
    public Map<String, Long> awaitDelivered(Duration timeout) {
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("producer not done after " + timeout + ": " + output());
        } catch (Exception e) {
            throw new AssertionError("producer failed: " + output(), e);
        }
        ProduceSummary summary = producer.summary();
        if (summary.error() != null || summary.failed() > 0 || summary.stoppedEarly()) {
            throw new AssertionError("producer did not deliver everything: " + summary.oneLine() + "\n" + output());
        }
        return summary.delivered();
    }

    public boolean isDone() {
        return running.isDone();
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        producer.close();
    }
}
