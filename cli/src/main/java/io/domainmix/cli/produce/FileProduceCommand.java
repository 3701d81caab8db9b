package io.domainmix.cli.produce;

import io.domainmix.producers.FileReplayProducer;
import io.domainmix.producers.TopicLayout;
import io.domainmix.producers.file.FileExamples;
import io.domainmix.producers.file.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code domainmix produce file}: replay a CSV or JSON file as examples. */
@Command(name = "file",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Replay a CSV, JSON-lines or JSON-array file into Kafka as examples. Records that cannot become "
            + "an example (wrong column count, not a number, missing label or value) are skipped, reported with their "
            + "line number and counted in the summary; --strict stops at the first one instead.",
            "",
            "Example:",
            "  domainmix produce file cars.json --domain-column Origin --label-column Miles_per_Gallon --standardize",
            ""})
public final class FileProduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to replay.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto (by file name; .json: an array if it starts with '['), csv, jsonl or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "CSV field delimiter; 'tab' for tabs (default: tab for .tsv, else comma).")
    String delimiter;


    @Option(names = "--domain", paramLabel = "NAME",
            description = "The domain of every record, when there is no domain column (default: the file's base name).")
    String fixedDomain;




    @Option(names = "--standardize", description = "Scale every numeric feature to mean 0, variance 1 (statistics from a first pass; with --holdout, of the training rows).")
    boolean standardize;



    @Option(names = "--holdout", paramLabel = "F", defaultValue = "0",
            description = "Keep this fraction of each domain's rows out of the topics (a seeded draw per domain, --seed) and write them to the split directory's holdout.jsonl (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--split-dir", paramLabel = "DIR",
            description = "Write training.jsonl (the rows sent), holdout.jsonl and encoding.json here; `domainmix report --holdout` reads them (default with --holdout: domainmix-split).")
    Path splitDir;

    @Option(names = "--shuffle", description = "Replay in a seeded random order (reads the file into memory).")
    boolean shuffle;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Seed of --shuffle and --holdout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "Examples per second, all domains together; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--strict", description = "Stop at the first bad record instead of skipping it.")
    boolean strict;

    @Option(names = "--bad-lines", paramLabel = "FILE", description = "Write every skipped record's line number and reason to FILE.")
    Path badLines;

    @Option(names = "--show-bad-lines", paramLabel = "N", defaultValue = "" + FileReplayProducer.DEFAULT_PRINTED_BAD_LINES,
            description = "Print at most N skipped records to stderr; all are counted (default: ${DEFAULT-VALUE}).")
    int showBadLines;

    @Mixin
    FileColumnOptions columns;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        FileExamples.Options o = new FileExamples.Options();
        TopicLayout layout;
        try {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + file);
            }
            if (columns.domainColumn != null && fixedDomain != null) {
                throw new IllegalArgumentException("give --domain-column or --domain, not both");
            }
            o.file = file;
            o.format = InputFormat.parse(format);
            if (delimiter != null) {
                String d = delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t") ? "\t" : delimiter;
                if (d.length() != 1) {
                    throw new IllegalArgumentException("--delimiter must be one character or 'tab': " + delimiter);
                }
                o.delimiter = d.charAt(0);
            }
            columns.applyTo(o);
            o.fixedDomain = fixedDomain;
            o.standardize = standardize;
            o.shuffleSeed = shuffle ? seed : null;
            o.strict = strict;
            if (!(holdout >= 0 && holdout < 1)) {
                throw new IllegalArgumentException("--holdout must be at least 0 and below 1: " + holdout);
            }
            o.holdoutFraction = holdout;
            o.holdoutSeed = seed;
            if (holdout > 0 && splitDir == null) {
                splitDir = Path.of("domainmix-split");
            }
            if (rate < 0) {
                throw new IllegalArgumentException("--rate must be >= 0: " + rate);
            }
            layout = kafka.layout(null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FileReplayProducer producer = new FileReplayProducer(o, kafka.target(), layout, rate, showBadLines, badLines,
                kafka.output());
        if (splitDir != null) {
            producer.writeSplitTo(splitDir);
        }
        try {
            producer.examples().mapping(); // unknown columns are a usage error, reported before connecting
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        System.err.println("replaying " + file.getFileName() + " to " + kafka.bootstrapServers
                + (layout.isShared() ? " topic " + layout.topicFor("") : " topics " + layout.prefix() + ".<domain>"));
        return ProducerRun.execute(producer);
    }
}
