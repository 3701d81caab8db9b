package io.domainmix.producers;

import io.domainmix.core.data.Example;
import io.domainmix.producers.file.BadInputException;
import io.domainmix.producers.file.BadLine;
import io.domainmix.producers.file.ColumnMapping;
import io.domainmix.producers.file.DataSplitFiles;
import io.domainmix.producers.file.FeatureScaling;
import io.domainmix.producers.file.FileExamples;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Replays a CSV or JSON file into Kafka as examples, at a given total rate (0 = as fast as the
 * broker takes them). Records that cannot become examples are skipped and reported with their
 * line number: each one to stderr up to a limit, all of them to a file when asked, and counted
 * by reason in the summary. With {@code strict} the first one stops the replay.
 */
public final class FileReplayProducer extends ExampleProducer {
    /** Skipped lines printed one by one before only counting the rest. */
    public static final int DEFAULT_PRINTED_BAD_LINES = 20;

    private final FileExamples examples;
    private final String fileLabel;
    private final boolean strict;
    private final double rate;
    private final int printedBadLines;
    private final Path badLinesFile;
    private final FileExamples.Options options;
    private Path splitDir;
    private DataSplitFiles split;
    private final Map<BadLine.Reason, AtomicLong> skipped = new LinkedHashMap<>();
    private final List<BadLine> firstBadLines = new ArrayList<>();
    private final Set<String> domainsSeen = new HashSet<>();
    private BufferedWriter badLinesOut;
    private long printed;

    /**
     * @param rate total examples per second, 0 for unlimited
     * @param badLinesFile where to write every skipped line, or null
     */
    public FileReplayProducer(FileExamples.Options options, KafkaTarget target, TopicLayout layout, double rate,
            int printedBadLines, Path badLinesFile, Output output) {
        super(target, layout, output);
        this.examples = new FileExamples(options);
        this.fileLabel = options.file.getFileName().toString();
        this.strict = options.strict;
        this.rate = rate;
        this.printedBadLines = printedBadLines;
        this.badLinesFile = badLinesFile;
        this.options = options;
    }

    /**
     * Also writes the rows sent, the held-out rows and the encoding to {@code dir} (see
     * {@link DataSplitFiles}); call before running.
     */
    public FileReplayProducer writeSplitTo(Path dir) {
        this.splitDir = dir;
        return this;
    }

    @Override
    protected String sourceName() {
        return "file " + fileLabel;
    }

    /** The skipped lines seen first (up to the print limit), for tests and reports. */
    public synchronized List<BadLine> firstBadLines() {
        return new ArrayList<>(firstBadLines);
    }

    public FileExamples examples() {
        return examples;
    }

    @Override
    protected void prepare(KafkaProducer<String, byte[]> producer) throws Exception {
        ColumnMapping m = examples.mapping();
        messages().println("reading " + fileLabel + ": " + m.describe());
        for (Map.Entry<String, String> e : examples.rejectedColumns().entrySet()) {
            messages().println("  not a feature: " + e.getKey() + " (" + e.getValue() + ")");
        }
        if (layout.isShared()) {
            target.ensureTopics(List.of(layout.topicFor("")));
        }
        if (badLinesFile != null) {
            badLinesOut = Files.newBufferedWriter(badLinesFile, StandardCharsets.UTF_8);
        }
        if (splitDir != null) {
            split = new DataSplitFiles(splitDir);
        }
    }

    @Override
    protected void produce() throws Exception {
        RateLimiter limiter = new RateLimiter(rate, System.nanoTime());
        try {
            examples.forEach(e -> {
                long wait;
                while ((wait = limiter.waitNanos(System.nanoTime())) > 0 && !stopRequested()) {
                    pause(wait);
                }
                if (stopRequested()) {
                    return;
                }
                sendToDomain(e);
                limiter.take(System.nanoTime());
            }, this::skip, this::stopRequested);
            FeatureScaling s = examples.scaling();
            if (s != null) {
                List<String> f = examples.mapping().features();
                StringBuilder b = new StringBuilder("feature statistics (first pass):");
                for (int i = 0; i < f.size(); i++) {
                    b.append(String.format(Locale.ROOT, " %s mean %.4g sd %.4g%s;", f.get(i), s.mean(i),
                            s.standardDeviation(i), s.constant(i) ? " (constant: centred only)" : ""));
                }
                messages().println(b);
            }
            if (split != null && !stopRequested()) {
                split.finish(examples, options);
                messages().println(String.format(Locale.ROOT, "held out %,d rows (%.0f %% of each domain) in %s",
                        examples.holdout().size(), 100 * options.holdoutFraction,
                        split.directory().resolve(DataSplitFiles.HOLDOUT)));
            }
        } finally {
            if (badLinesOut != null) {
                badLinesOut.close();
            }
            if (split != null) {
                split.close();
            }
        }
    }

    private void sendToDomain(Example e) throws Exception {
        if (domainsSeen.add(e.domain) && !layout.isShared()) {
            target.ensureTopics(List.of(layout.topicFor(e.domain)));
        }
        send(e);
        if (split != null) {
            split.sent(e);
        }
    }

    private synchronized void skip(BadLine bad) throws Exception {
        if (strict) {
            throw new BadInputException(bad);
        }
        skipped.computeIfAbsent(bad.reason(), r -> new AtomicLong()).incrementAndGet();
        if (badLinesOut != null) {
            badLinesOut.write(bad.message());
            badLinesOut.newLine();
        }
        if (printed < printedBadLines) {
            firstBadLines.add(bad);
            messages().println("skipped " + bad.message());
            printed++;
            if (printed == printedBadLines) {
                messages().println("further skipped lines are counted, not printed"
                        + (badLinesFile != null ? " (all are in " + badLinesFile + ")" : "; --bad-lines FILE lists them all"));
            }
        }
    }

    @Override
    protected synchronized Map<String, Long> skippedByReason() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<BadLine.Reason, AtomicLong> e : skipped.entrySet()) {
            out.put(e.getKey().label(), e.getValue().get());
        }
        return out;
    }

    @Override
    protected String progressNote() {
        long n = skippedByReason().values().stream().mapToLong(Long::longValue).sum();
        return n == 0 ? null : n + " lines skipped";
    }
}
