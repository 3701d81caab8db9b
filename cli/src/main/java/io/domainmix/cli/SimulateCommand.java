package io.domainmix.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the simulator lands. */
@Command(name = "simulate", description = "Run the reference simulator (no Kafka, no Flink).")
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("not yet");
        return 0;
    }
}
