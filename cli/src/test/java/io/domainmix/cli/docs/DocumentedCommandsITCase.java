package io.domainmix.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.cli.DomainMixCommand;
import io.domainmix.job.TopicCreation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code bin/domainmix} command line shown in README.md, cli/DEMO.md and
 * producers/README.md, read from those files and run, scaled down, in the order a reader would
 * run them: {@code broker} first (on a free port instead of 9092, which the others then use),
 * then the producers and the simulator, {@code train} (bounded), {@code score} (until it has
 * answered requests sent to it with the model {@code train} published), {@code demo}, and the
 * reports.
 * Each runs as its own JVM in one working directory, as a user's shell would run it. A command
 * that the documents change or add is run as written; one that stops working fails here.
 *
 * <p>Scaling down: counts and example numbers are made small, delays and rates 0, seeds 1;
 * {@code train} gets {@code --bounded}, {@code demo} fewer examples and one policy. Files the
 * documents take from elsewhere ({@code data.csv}, {@code package/data/cars.json}) are written
 * here with the columns the documents name; the sensor table is the excerpt in the test
 * resources.
 */
class DocumentedCommandsITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> DOCUMENTS = List.of("README.md", "cli/DEMO.md", "producers/README.md");
    /** The order a reader follows: a broker, data in it, training on it, then reports of the training. */
    private static final List<String> ORDER = List.of("broker", "produce", "simulate", "train", "score", "demo", "report");
    /** Where the scaled-down {@code demo --data} writes its split, records and report. */
    private static final String DATA_DEMO_OUT = "domainmix-demo-data";
    /** Requests sent to the scoring job, each to be answered with one prediction. */
    private static final int REQUESTS = 5;

    @TempDir
    Path work;

    @Test
    void everyDocumentedCommandRuns() throws Exception {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (String doc : DOCUMENTS) {
            for (String line : commandLines(Files.readString(ROOT.resolve(doc), StandardCharsets.UTF_8))) {
                commands.putIfAbsent(line, new ArrayList<>());
                commands.get(line).add(doc);
            }
        }
        List<String> lines = new ArrayList<>(commands.keySet());
        for (String line : lines) {
            assertTrue(ORDER.contains(words(line).get(1)), "a documented command this test cannot run yet: " + line);
        }
        lines.sort(Comparator.comparingInt(l -> ORDER.indexOf(words(l).get(1))));
        assertTrue(lines.size() >= 12, "command lines found: " + lines);
        assertEquals("broker", words(lines.get(0)).get(1), lines.toString());

        writeInputFiles();
        int port = freePort();
        Process broker = start(scaleDown(words(lines.get(0)), port), null, port);
        try {
            awaitLine(broker, "Kafka broker ready");
            List<String> failures = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                List<String> args = scaleDown(words(line), port).stream().map(this::withRunId).toList();
                Path log = work.resolve("command-" + failures.size() + "-" + args.get(0) + ".log");
                Process p = start(args, log, port);
                if (args.get(0).equals("score")) {
                    serveRequests(p, args, port, log).ifPresent(failures::add);
                    continue;
                }
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly().waitFor();
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                System.out.println("$ " + line + "\n  ran as: " + String.join(" ", args) + "\n  exit " + p.exitValue());
                if (p.exitValue() != 0) {
                    failures.add(line + " (" + commands.get(line) + ", run as " + args + "): exit " + p.exitValue()
                            + "\n" + output);
                }
            }
            assertTrue(failures.isEmpty(), String.join("\n\n", failures));
        } finally {
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
        }
        assertFalse(broker.isAlive());
    }

    /**
     * The command lines of a document: lines of code blocks (fenced or indented) that start with
     * {@code bin/domainmix} (after an optional prompt {@code $ }), continued over lines ending in
     * a backslash, without a trailing comment or {@code &}. Example output that follows a prompt
     * line is not a command.
     */
    static List<String> commandLines(String document) {
        List<String> out = new ArrayList<>();
        String[] lines = document.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("$ ")) {
                line = line.substring(2).strip();
            }
            if (!line.startsWith("bin/domainmix ")) {
                continue;
            }
            StringBuilder command = new StringBuilder();
            while (line.endsWith("\\") && i + 1 < lines.length) {
                command.append(line, 0, line.length() - 1).append(' ');
                line = lines[++i].strip();
            }
            command.append(line);
            String text = command.toString().replaceAll("\\s+#\\s.*$", "").replaceAll("\\s*&\\s*$", "").strip();
            out.add(text);
        }
        return out;
    }

    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (w.length() > 0) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    /** The arguments after {@code bin/domainmix}, made small and pointed at the test's broker. */
    static List<String> scaleDown(List<String> words, int port) {
        List<String> in = words.subList(1, words.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String w = in.get(i).replace("127.0.0.1:9092", "127.0.0.1:" + port);
            String next = i + 1 < in.size() ? in.get(i + 1) : null;
            switch (w) {
                case "--port" -> {
                    out.add(w);
                    out.add(String.valueOf(port));
                    i++;
                }
                case "--count", "--examples" -> {
                    out.add(w);
                    out.add(Long.parseLong(next.replace("_", "")) == 0 ? "0" : String.valueOf(Math.min(Long.parseLong(next), 1500)));
                    i++;
                }
                case "--rate" -> {
                    out.add(w);
                    out.add("0");
                    i++;
                }
                case "--seeds" -> {
                    out.add(w);
                    out.add("1");
                    i++;
                }
                case "--domain", "-d" -> {
                    out.add(w);
                    out.add(next.replaceAll("count=\\d+", "count=300").replaceAll("delay=\\d+", "delay=0")
                            .replaceAll("rate=\\d+", "rate=0"));
                    i++;
                }
                case "..." -> { } // "and more of the same" in a document
                default -> out.add(w);
            }
        }
        switch (out.get(0)) {
            case "train" -> out.addAll(List.of("--bounded", "--web-ui-port", "0"));
            case "demo" -> {
                if (out.contains("--data")) {
                    // its own output directory, so that the synthetic demo's records stay apart
                    out.addAll(List.of("--out", DATA_DEMO_OUT));
                } else if (!out.contains("--examples")) {
                    out.addAll(List.of("--examples", "2000"));
                }
                out.addAll(List.of("--policies", "erma+va", "--plain"));
            }
            case "produce" -> {
                // the default count of a domain that names none is "until stopped"
                if (out.get(1).equals("synthetic") && !out.contains("--count")) {
                    out.addAll(List.of("--count", "300"));
                }
            }
            default -> { }
        }
        return out;
    }

    /**
     * The scoring job runs until it is stopped: it must answer every request sent to it with a
     * prediction by the model {@code train} published, and be running until then.
     */
    private static Optional<String> serveRequests(Process p, List<String> args, int port, Path log) throws Exception {
        String requests = args.get(args.indexOf("--requests") + 1);
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", "127.0.0.1:" + port);
        try (Admin admin = Admin.create(client)) {
            TopicCreation.createMissing(admin, List.of(requests));
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < REQUESTS; i++) {
                StringBuilder x = new StringBuilder();
                for (int j = 0; j < 20; j++) {
                    x.append(j == 0 ? "" : ",").append(0.1 * (i + j));
                }
                producer.send(new ProducerRecord<>(requests, "d1", "{\"id\":\"req-" + i + "\",\"x\":[" + x + "]}")).get();
            }
        }
        long answered = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition predictions = new TopicPartition("domainmix-predictions", 0);
            while (answered < REQUESTS && p.isAlive() && System.nanoTime() < deadline) {
                if (c.listTopics(Duration.ofSeconds(10)).containsKey(predictions.topic())) {
                    answered = c.endOffsets(List.of(predictions)).get(predictions);
                }
                Thread.sleep(500);
            }
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        System.out.println("  " + answered + " of " + REQUESTS + " requests answered; stopped");
        return answered >= REQUESTS ? Optional.empty()
                : Optional.of(String.join(" ", args) + ": " + answered + " of " + REQUESTS + " requests answered\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
    }

    /**
     * {@code <run>} in a document: a run the demo saved the records of. Under
     * {@code domainmix-demo/} it is the synthetic demo's; alone, it is one of {@code demo --data}'s,
     * whose records (and split, for {@code --holdout domainmix-split}) are copied here first, as
     * a reader redoing that report would have them.
     */
    private String withRunId(String arg) {
        if (!arg.contains("<run>")) {
            return arg;
        }
        boolean dataDemo = !arg.contains("/");
        Path records = work.resolve(dataDemo ? DATA_DEMO_OUT + "/records" : "domainmix-demo/records");
        try (Stream<Path> files = Files.list(records)) {
            String file = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snapshots.jsonl"))
                    .sorted().findFirst().orElseThrow(() -> new AssertionError("the demo saved no records in " + records));
            String run = file.substring(0, file.length() - ".snapshots.jsonl".length());
            if (dataDemo) {
                for (String kind : List.of(".snapshots.jsonl", ".metrics.jsonl")) {
                    Files.copy(records.resolve(run + kind), work.resolve(run + kind), StandardCopyOption.REPLACE_EXISTING);
                }
                copyDirectory(work.resolve(DATA_DEMO_OUT + "/split"), work.resolve("domainmix-split"));
            }
            return arg.replace("<run>", run);
        } catch (IOException e) {
            throw new AssertionError("the demo saved no records in " + records, e);
        }
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Process start(List<String> args, Path log, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), DomainMixCommand.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        // where a command names no broker it uses this one, as the documents say
        pb.environment().put("DOMAINMIX_BOOTSTRAP_SERVERS", "127.0.0.1:" + port);
        return pb.start();
    }

    private static void awaitLine(Process p, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            if (line.startsWith(prefix)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException ignored) {
                        // the broker has ended
                    }
                }, "broker-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the broker command ended before it was ready:\n" + String.join("\n", seen));
    }

    /** The input files the documents take from elsewhere, with the columns they name. */
    private void writeInputFiles() throws IOException {
        StringBuilder csv = new StringBuilder("region,x1,x2,y\n");
        StringBuilder cars = new StringBuilder("[\n");
        String[] origins = {"USA", "Europe", "Japan"};
        for (int i = 0; i < 60; i++) {
            csv.append(i % 2 == 0 ? "north" : "south").append(',').append(i * 0.1).append(',').append(2 - i * 0.03)
                    .append(',').append(1 + i * 0.2).append('\n');
            cars.append(String.format(java.util.Locale.ROOT,
                    "{\"Name\":\"car %d\",\"Miles_per_Gallon\":%s,\"Cylinders\":%d,\"Displacement\":%d,\"Horsepower\":%d,"
                            + "\"Weight_in_lbs\":%d,\"Acceleration\":%.1f,\"Year\":\"1970-01-01\",\"Origin\":\"%s\"}%s%n",
                    i, i == 7 ? "null" : String.valueOf(15 + i % 20), 4 + 2 * (i % 3), 100 + 5 * i, 70 + i, 2000 + 20 * i,
                    12 + (i % 8) * 0.5, origins[i % 3], i < 59 ? "," : ""));
        }
        cars.append("]\n");
        Files.writeString(work.resolve("data.csv"), csv.toString());
        Files.createDirectories(work.resolve("package/data"));
        Files.writeString(work.resolve("package/data/cars.json"), cars.toString());
        // the sensor table of the README's walkthrough: the excerpt the demo's own test uses
        Path sensors = Files.createDirectories(work.resolve("package/suthaharan-single-hop-sensor-network/data"));
        try (var in = DocumentedCommandsITCase.class.getResourceAsStream("/data/sensor-single-hop-excerpt.csv")) {
            Files.copy(in, sensors.resolve("data.csv"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
