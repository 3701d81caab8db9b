package io.domainmix.producers.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files a replay with a split directory leaves beside the topics, for evaluation without
 * ground truth: {@value #TRAINING} (every example sent, in sending order), {@value #HOLDOUT}
 * (the held-out rows, never sent) — both JSON lines in the example format — and
 * {@value #ENCODING}, how the file's columns became x and y (feature names, categories,
 * label transform and scaling), so that other rows can be encoded the same way.
 */
public final class DataSplitFiles implements Closeable {
    public static final String TRAINING = "training.jsonl";
    public static final String HOLDOUT = "holdout.jsonl";
    public static final String ENCODING = "encoding.json";

    private final Path dir;
    private final BufferedWriter training;
    private final Map<String, Long> trainingCounts = new TreeMap<>();

    public DataSplitFiles(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.training = Files.newBufferedWriter(dir.resolve(TRAINING), StandardCharsets.UTF_8);
    }

    public Path directory() {
        return dir;
    }

    /** Appends one example that was sent for training. */
    public synchronized void sent(Example e) throws IOException {
        training.write(ExampleJsonCodec.encodeToString(e));
        training.newLine();
        trainingCounts.merge(e.domain, 1L, Long::sum);
    }

    /** Writes the held-out rows and the encoding; call once, after the replay. */
    public synchronized void finish(FileExamples examples, FileExamples.Options options) throws IOException {
        training.flush();
        Map<String, Long> holdoutCounts = new TreeMap<>();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(HOLDOUT), StandardCharsets.UTF_8)) {
            for (Example e : examples.holdout()) {
                w.write(ExampleJsonCodec.encodeToString(e));
                w.newLine();
                holdoutCounts.merge(e.domain, 1L, Long::sum);
            }
        }
        ColumnMapping m = examples.mapping();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("file", options.file.getFileName().toString());
        root.put("domainColumn", m.domainColumn());
        root.put("labelColumn", m.labelColumn());
        root.put("labelTransform", m.labelTransform().name().toLowerCase(java.util.Locale.ROOT));
        if (Double.isFinite(examples.labelMean())) {
            root.put("labelMean", examples.labelMean());
            root.put("labelStandardDeviation", examples.labelStandardDeviation());
        }
        root.put("missing", m.missing().name().toLowerCase(java.util.Locale.ROOT));
        root.put("standardize", options.standardize);
        ArrayNode numeric = root.putArray("numericFeatures");
        FeatureScaling s = examples.scaling();
        for (int i = 0; i < m.features().size(); i++) {
            ObjectNode f = numeric.addObject();
            f.put("name", m.features().get(i));
            if (s != null) {
                f.put("mean", s.mean(i));
                f.put("standardDeviation", s.standardDeviation(i));
            }
        }
        ObjectNode cats = root.putObject("categories");
        m.categories().forEach((c, levels) -> {
            ArrayNode a = cats.putArray(c);
            levels.forEach(a::add);
        });
        ArrayNode x = root.putArray("x");
        m.encodedFeatures().forEach(x::add);
        root.put("dimension", m.encodedFeatures().size());
        root.put("holdoutFraction", options.holdoutFraction);
        root.put("holdoutSeed", options.holdoutSeed);
        putCounts(root.putObject("trainingRows"), trainingCounts);
        putCounts(root.putObject("holdoutRows"), holdoutCounts);
        mapper.writeValue(dir.resolve(ENCODING).toFile(), root);
    }

    private static void putCounts(ObjectNode n, Map<String, Long> counts) {
        counts.forEach(n::put);
    }

    /**
     * Reads a JSON-lines file of examples (as written here), validated as the job validates a
     * record, with the dimension of its first line.
     *
     * @throws IllegalArgumentException naming the line of a record that is not a valid example
     */
    public static List<Example> readExamples(Path file) throws IOException {
        List<Example> out = new java.util.ArrayList<>();
        ExampleJsonCodec codec = null;
        long line = 0;
        for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            if (codec == null) {
                int d = new ObjectMapper().readTree(s).path("x").size();
                codec = new ExampleJsonCodec(new ExampleSchema(Math.max(d, 1), LabelKind.REAL));
            }
            DecodeResult r = codec.decode(s, null, null);
            if (!r.isAccepted()) {
                throw new IllegalArgumentException(file.getFileName() + " line " + line + ": " + r.describe());
            }
            out.add(r.example());
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        training.close();
    }
}
