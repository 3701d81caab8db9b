package io.domainmix.cli;

import io.domainmix.cli.broker.EmbeddedKafkaBroker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domainmix broker}: a local single-node Kafka for trying the other commands by hand. */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until interrupted (Ctrl-C).",
            "Its data live in a temporary directory that is removed when it stops."
        })
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
            description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(port);
        } catch (EmbeddedKafkaBroker.BrokerStartException e) {
            System.err.println("domainmix broker: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("Kafka broker ready. bootstrap servers: " + broker.bootstrapServers());
        System.out.println("e.g. bin/domainmix produce synthetic --bootstrap-servers " + broker.bootstrapServers()
                + " ...   (Ctrl-C stops the broker and removes its data)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
