package io.domainmix.cli.demo;

import io.domainmix.cli.KafkaConnection;
import java.io.PrintStream;

/** The live table of an experiment's runs, fed by a watcher of their metrics topics. */
public final class LiveView implements AutoCloseable {
    private final MetricsWatcher watcher;
    private final LiveTable table;

    public LiveView(KafkaConnection kafka, GridRun run, PrintStream out, boolean ansi) {
        this.watcher = new MetricsWatcher(kafka, run.runs());
        this.table = new LiveTable(run.runs(), run.domains(), run.totalExamples(), out, ansi, 10);
    }

    @Override
    public void close() throws InterruptedException {
        // one more poll interval, so the final metrics of the last runs reach the table
        Thread.sleep(600);
        watcher.close();
        table.close();
    }
}
