package io.domainmix.cli.produce;

import io.domainmix.producers.ExampleProducer;
import io.domainmix.producers.ProduceSummary;

/**
 * Runs a producer in the foreground until it is done or the user presses Ctrl-C. On Ctrl-C the
 * JVM runs its shutdown hooks: ours asks the producer to stop and waits until it has flushed,
 * closed and printed its summary, so no example it sent is left undelivered or uncounted.
 */
final class ProducerRun {
    static final int OK = 0;
    static final int FAILED = 1;

    private ProducerRun() {}

    static int execute(ExampleProducer producer) {
        Thread hook = new Thread(() -> {
            try {
                producer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "domainmix-produce-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        producer.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived: the hook is running and the JVM exits when it ends
        }
        ProduceSummary s = producer.summary();
        return s != null && s.error() == null && s.failed() == 0 ? OK : FAILED;
    }
}
