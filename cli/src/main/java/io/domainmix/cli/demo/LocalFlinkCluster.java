package io.domainmix.cli.demo;

import io.domainmix.cli.broker.EmbeddedKafkaBroker;
import io.domainmix.job.local.CheckpointSchedule;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink cluster in this JVM (JobManager, one TaskManager, the REST endpoint and the web UI),
 * bound to 127.0.0.1. It outlives the jobs submitted to it, so the web UI shows every run of
 * the demo, one after the other.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private final MiniCluster cluster;
    private final URI webUi;

    private LocalFlinkCluster(MiniCluster cluster, URI webUi) {
        this.cluster = cluster;
        this.webUi = webUi;
    }

    /**
     * @param webUiPort port of the REST endpoint and web UI, 0 for a free one
     * @param slots task slots of the TaskManager (jobs running at once × their parallelism)
     */
    public static LocalFlinkCluster start(int webUiPort, int slots) throws Exception {
        int port = webUiPort != 0 ? webUiPort : EmbeddedKafkaBroker.freePort();
        if (!EmbeddedKafkaBroker.isFree(port)) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 (Flink web UI) is already in use; "
                    + "choose another with --web-ui-port, or 0 for a free one");
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, port);
        conf.set(RestOptions.BIND_PORT, String.valueOf(port));
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        CheckpointSchedule.freshRestAnswers(conf);
        // several small jobs side by side: the default network memory of a local cluster runs short
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("128m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("128m"));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        try {
            cluster.start();
            URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
            return new LocalFlinkCluster(cluster, URI.create("http://127.0.0.1:" + rest.getPort() + "/"));
        } catch (Exception e) {
            cluster.closeAsync();
            throw e;
        }
    }

    /** The web UI (and REST API) address. */
    public URI webUi() {
        return webUi;
    }

    /** Submits a job; the future completes with its result when it ends. */
    public Submitted submit(StreamGraph graph) throws Exception {
        JobGraph job = graph.getJobGraph(Thread.currentThread().getContextClassLoader());
        JobID id = cluster.submitJob(job).get(60, TimeUnit.SECONDS).getJobID();
        return new Submitted(id, cluster.requestJobResult(id));
    }

    /** A submitted job and its eventual result. */
    public record Submitted(JobID id, CompletableFuture<JobResult> result) {}

    public void cancel(JobID id) {
        cluster.cancelJob(id);
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(60, TimeUnit.SECONDS);
    }
}
