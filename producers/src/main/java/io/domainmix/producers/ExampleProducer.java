package io.domainmix.producers;

import io.domainmix.core.data.Example;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The part every producer shares: one idempotent Kafka producer, examples sent keyed by their
 * domain (unless the layout says otherwise) in the layout's wire format (JSON by default), per-domain delivery counts, progress, and a clean stop.
 *
 * <p>{@link #run()} produces until the source is exhausted or {@link #close()} is called (from
 * a shutdown hook on Ctrl-C, for instance); either way it flushes, so that every example handed
 * to Kafka is delivered or counted as failed, prints a one-line summary and only then returns.
 * {@code close()} waits for that. A failed delivery stops the run: nothing is lost silently.
 */
public abstract class ExampleProducer implements Runnable, AutoCloseable {
    /** How long {@link #close()} waits for the run to flush and end. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    protected final KafkaTarget target;
    protected final TopicLayout layout;
    protected final DeliveryCounters counters = new DeliveryCounters();
    private final Output output;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean started;
    private volatile ProduceSummary summary;
    private KafkaProducer<String, byte[]> producer;

    /** Where a producer reports: the summary (stdout), progress and warnings (stderr). */
    public static final class Output {
        final PrintStream summary;
        final PrintStream messages;
        final ProgressDisplay.Mode progress;
        final Duration progressInterval;

        public Output(PrintStream summary, PrintStream messages, ProgressDisplay.Mode progress, Duration progressInterval) {
            this.summary = summary;
            this.messages = messages;
            this.progress = progress;
            this.progressInterval = progressInterval;
        }

        /** Progress on the console when there is one, plain lines every 10 s otherwise. */
        public static Output standard() {
            ProgressDisplay.Mode mode = ProgressDisplay.Mode.detect();
            return new Output(System.out, System.err, mode,
                    mode == ProgressDisplay.Mode.TERMINAL ? Duration.ofMillis(500) : Duration.ofSeconds(10));
        }

        /** Only the final summary, to the given stream (tests). */
        public static Output quiet(PrintStream summaryAndMessages) {
            return new Output(summaryAndMessages, summaryAndMessages, ProgressDisplay.Mode.OFF, Duration.ofSeconds(1));
        }
    }

    protected ExampleProducer(KafkaTarget target, TopicLayout layout, Output output) {
        this.target = target;
        this.layout = layout;
        this.output = output;
    }

    /** A short name of the source for the summary, e.g. "synthetic linear-noise". */
    protected abstract String sourceName();

    /** Creates topics, writes side outputs; called before progress starts. */
    protected abstract void prepare(KafkaProducer<String, byte[]> producer) throws Exception;

    /** Produces examples with {@link #send} until done or {@link #stopRequested()}. */
    protected abstract void produce() throws Exception;

    /** The planned count of a domain for the progress display, or null. */
    protected Long plannedCount(String domain) {
        return null;
    }

    /** An extra progress line (e.g. skipped lines so far), or null. */
    protected String progressNote() {
        return null;
    }

    /** Skipped input by reason, for the summary (file replay). */
    protected Map<String, Long> skippedByReason() {
        return Map.of();
    }

    protected PrintStream messages() {
        return output.messages;
    }

    @Override
    public final void run() {
        started = true;
        long startNanos = System.nanoTime();
        String error = null;
        ProgressDisplay progress = new ProgressDisplay(counters, this::plannedCount, this::progressNote, output.messages,
                output.progress, output.progressInterval);
        try {
            producer = target.newProducer();
            prepare(producer);
            progress.start();
            produce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        } catch (Exception e) {
            error = describe(e);
        } finally {
            if (producer != null) {
                try {
                    producer.flush();
                } catch (RuntimeException e) {
                    error = error != null ? error : describe(e);
                }
                producer.close(SHUTDOWN_TIMEOUT);
            }
            progress.close();
            if (error == null && counters.firstFailure() != null) {
                error = "delivery failed: " + describe(counters.firstFailure());
            }
            Map<String, Long> delivered = new LinkedHashMap<>();
            for (DeliveryCounters.Domain d : counters.domains()) {
                delivered.put(d.name(), d.acked());
            }
            summary = new ProduceSummary(sourceName(), delivered, counters.failed(), skippedByReason(),
                    (System.nanoTime() - startNanos) / 1e9, stopRequested && error == null, error);
            output.summary.println(summary.oneLine());
            output.summary.flush();
            done.countDown();
        }
    }

    /** Sends one example to its domain's topic, keyed as the layout says. */
    protected final void send(Example e) throws DeliveryFailedException {
        send(e, null);
    }

    /**
     * Sends one example with the given record timestamp (epoch ms; null: the producer's clock).
     * A job that orders its input by record time then reads the examples in this order.
     */
    protected final void send(Example e, Long timestamp) throws DeliveryFailedException {
        Exception failure = counters.firstFailure();
        if (failure != null) {
            throw new DeliveryFailedException(failure);
        }
        DeliveryCounters.Domain d = counters.domain(e.domain);
        producer.send(new ProducerRecord<>(layout.topicFor(e.domain), null, timestamp, layout.keyFor(e.domain),
                layout.format().encode(e)), counters.onSend(d));
    }

    /** Sends one record and waits for the broker's acknowledgement (the ground truth). */
    protected final void sendAndWait(String topic, String key, byte[] value) throws Exception {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to topic " + topic + ": " + describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement from " + target.bootstrapServers() + " within "
                    + SHUTDOWN_TIMEOUT.toSeconds() + " s for topic " + topic + "; is the broker reachable?", e);
        }
    }

    /** Sleeps up to {@code nanos}, in short steps, so that a stop request is seen promptly. */
    protected final void pause(long nanos) throws InterruptedException {
        long step = Math.min(nanos, MAX_SLEEP_NANOS);
        if (step > 0) {
            TimeUnit.NANOSECONDS.sleep(step);
        }
    }

    protected final boolean stopRequested() {
        return stopRequested;
    }

    /** Asks the run to stop; it flushes what it sent and ends. */
    public final void requestStop() {
        stopRequested = true;
    }

    /** Stops the run (if it is running) and waits until it has flushed and printed its summary. */
    @Override
    public final void close() throws InterruptedException {
        requestStop();
        if (started) {
            done.await(SHUTDOWN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        }
    }

    /** Examples the broker has acknowledged so far (all domains). */
    public final long deliveredSoFar() {
        return counters.acked();
    }

    /** The summary once {@link #run()} has returned, else null. */
    public final ProduceSummary summary() {
        return summary;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** A send was refused because an earlier delivery failed. */
    public static final class DeliveryFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        DeliveryFailedException(Exception cause) {
            super("delivery failed: " + describe(cause), cause);
        }
    }
}
