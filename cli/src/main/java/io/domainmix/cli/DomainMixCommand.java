package io.domainmix.cli;

import io.domainmix.job.KafkaErrors;
import io.domainmix.job.TopicAccess;
import io.domainmix.job.TopicCreation;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code domainmix} command: one entry point, one subcommand per task. */
@Command(
        name = "domainmix",
        mixinStandardHelpOptions = true,
        version = "domainmix 0.1.0",
        description = "Continuous multi-domain training from Kafka on Flink, with separate loss and sampling weights per domain.",
        subcommands = {
            SimulateCommand.class,
            ProduceCommand.class,
            ReportCommand.class,
            BrokerCommand.class,
            TrainCommand.class,
            ScoreCommand.class,
            DemoCommand.class,
        })
public final class DomainMixCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DomainMixCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        // a bad value (unknown experiment, policy, ...) is the user's to fix: its message, not a stack trace
        cl.setExecutionExceptionHandler((e, command, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                command.getErr().println("domainmix " + command.getCommandName() + ": " + e.getMessage());
                command.getErr().println("(domainmix " + command.getCommandName() + " --help lists the options)");
                return 2;
            }
            // so are wrong credentials, a missing ACL, a topic that cannot be made: one line naming it
            Optional<String> kafka = e instanceof TopicCreation.TopicCreationException || e instanceof TopicAccess.MissingAccessException
                    ? Optional.of(e.getMessage()) : KafkaErrors.security(e);
            if (kafka.isPresent()) {
                command.getErr().println("domainmix " + command.getCommandName() + ": " + kafka.get());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
