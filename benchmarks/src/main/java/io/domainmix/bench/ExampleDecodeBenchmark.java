package io.domainmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.DecodeResult;
import io.domainmix.core.data.Example;
import io.domainmix.core.data.ExampleBinaryCodec;
import io.domainmix.core.data.ExampleJsonCodec;
import io.domainmix.core.data.ExampleSchema;
import io.domainmix.core.data.LabelKind;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Record value to {@link Example}: the JSON codec (streaming tokens, fast double parser, full
 * validation) against plain Jackson databind into a tree and then into an example (what a
 * straightforward implementation does), and the binary codec (same validation); and the
 * encoding the producers pay for each format.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExampleDecodeBenchmark {
    @Param({"20", "200"})
    public int dimension;

    ExampleJsonCodec json;
    ExampleBinaryCodec binary;
    ObjectMapper mapper;
    Example[] examples;
    byte[][] jsonRecords;
    byte[][] binaryRecords;
    int next;

    @Setup
    public void setUp() {
        json = new ExampleJsonCodec(new ExampleSchema(dimension, LabelKind.REAL));
        binary = new ExampleBinaryCodec(new ExampleSchema(dimension, LabelKind.REAL));
        mapper = new ObjectMapper();
        examples = BenchmarkData.pool("linear-noise", dimension);
        jsonRecords = new byte[examples.length][];
        binaryRecords = new byte[examples.length][];
        for (int i = 0; i < examples.length; i++) {
            jsonRecords[i] = ExampleJsonCodec.encode(examples[i]);
            binaryRecords[i] = ExampleBinaryCodec.encode(examples[i]);
        }
    }

    private int nextIndex() {
        int i = next;
        next = next + 1 == examples.length ? 0 : next + 1;
        return i;
    }

    @Benchmark
    public DecodeResult jsonCodecDecode() {
        return json.decode(jsonRecords[nextIndex()], null, "topic");
    }

    /** Default databind (JDK double parsing), tree, then the fields copied out; no validation. */
    @Benchmark
    public Example jacksonTreeDecode() throws IOException {
        JsonNode node = mapper.readTree(jsonRecords[nextIndex()]);
        JsonNode xs = node.get("x");
        double[] x = new double[xs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = xs.get(i).doubleValue();
        }
        return new Example(node.get("domain").asText(), x, node.get("y").doubleValue());
    }

    @Benchmark
    public DecodeResult binaryCodecDecode() {
        return binary.decode(binaryRecords[nextIndex()], null, "topic");
    }

    @Benchmark
    public byte[] jsonCodecEncode() {
        return ExampleJsonCodec.encode(examples[nextIndex()]);
    }

    @Benchmark
    public byte[] binaryCodecEncode() {
        return ExampleBinaryCodec.encode(examples[nextIndex()]);
    }

    /** Mean record size in bytes (not a benchmark: for the report). */
    static double meanBytes(byte[][] records) {
        long total = 0;
        for (byte[] r : records) {
            total += r.length;
        }
        return (double) total / records.length;
    }
}
