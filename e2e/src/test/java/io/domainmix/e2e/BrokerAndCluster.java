package io.domainmix.e2e;

import io.domainmix.testkit.KafkaBrokerProcess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * A broker process and a standalone Flink cluster, started side by side (each spends most of
 * its start-up waiting on JVMs, so starting them together saves a test class ~10 s) and
 * closed together. If either fails to start, the other is closed before the failure is thrown.
 */
public final class BrokerAndCluster implements AutoCloseable {

    private final KafkaBrokerProcess broker;
    private final FlinkStandaloneCluster cluster;

    private BrokerAndCluster(KafkaBrokerProcess broker, FlinkStandaloneCluster cluster) {
        this.broker = broker;
        this.cluster = cluster;
    }

    /** Fixtures under {@code target/e2e/<name>/kafka} and {@code .../flink}; {@code cluster} adjusts the cluster's configuration. */
    public static BrokerAndCluster start(String name, UnaryOperator<FlinkStandaloneCluster.Builder> cluster) {
        CompletableFuture<KafkaBrokerProcess> broker = CompletableFuture.supplyAsync(
                () -> KafkaBrokerProcess.start(E2EEnvironment.freshDirectory(name + "/kafka"), E2EEnvironment.brokerClasspath()));
        FlinkStandaloneCluster flink;
        try {
            flink = cluster.apply(FlinkStandaloneCluster.builder(E2EEnvironment.freshDirectory(name + "/flink"))).start();
        } catch (RuntimeException | Error e) {
            broker.thenAccept(KafkaBrokerProcess::close);
            try {
                broker.join();
            } catch (CompletionException ignored) {
                // the cluster's failure is the one to report
            }
            throw e;
        }
        try {
            return new BrokerAndCluster(broker.join(), flink);
        } catch (CompletionException e) {
            flink.close();
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    public KafkaBrokerProcess broker() {
        return broker;
    }

    public FlinkStandaloneCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        try (KafkaBrokerProcess b = broker; FlinkStandaloneCluster c = cluster) {
            // the cluster closes first (its jobs stop reading), then the broker, each even if the other fails
        }
    }
}
