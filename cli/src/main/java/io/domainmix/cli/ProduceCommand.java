package io.domainmix.cli;

import io.domainmix.cli.produce.FileProduceCommand;
import io.domainmix.cli.produce.SyntheticProduceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code domainmix produce}: getting examples into Kafka, synthetic or from a file. */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        description = "Produce examples into Kafka, one topic per domain (<prefix>.<domain>) or one shared topic, "
            + "keyed by domain, in the JSON example format; idempotent, acks=all. Ctrl-C flushes and stops.",
        subcommands = {SyntheticProduceCommand.class, FileProduceCommand.class})
public final class ProduceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
