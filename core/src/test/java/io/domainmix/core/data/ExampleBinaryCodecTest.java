package io.domainmix.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.rng.SplitMix64;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExampleBinaryCodecTest {
    private final ExampleBinaryCodec regression = new ExampleBinaryCodec(new ExampleSchema(3, LabelKind.REAL, 4096));
    private final ExampleBinaryCodec classifier = new ExampleBinaryCodec(new ExampleSchema(3, LabelKind.BINARY, 4096));
    private final ExampleBinaryCodec anyDimension = new ExampleBinaryCodec(new ExampleSchema(0, LabelKind.REAL, 4096));

    @Test
    void layoutIsTheDocumentedOne() {
        byte[] b = ExampleBinaryCodec.encode(new Example("wiki", new double[] {0.5, -1.0, 4.0}, 2.5));
        ByteBuffer expected = ByteBuffer.allocate(3 + 1 + 1 + 4 + 32).order(ByteOrder.LITTLE_ENDIAN);
        expected.put((byte) 0xDB).put((byte) 1).put((byte) ExampleBinaryCodec.HAS_DOMAIN).put((byte) 3);
        expected.put((byte) 4).put("wiki".getBytes(StandardCharsets.US_ASCII));
        expected.putDouble(0.5).putDouble(-1.0).putDouble(4.0).putDouble(2.5);
        assertArrayEquals(expected.array(), b);
    }

    @Test
    void recordAtTwentyFeaturesIs175Bytes() {
        assertEquals(175, ExampleBinaryCodec.encode(new Example("d1", new double[20], 1.0)).length);
    }

    @Test
    void encodeThenDecodeIsIdentityWithEveryOptionalField() {
        Example e = new Example("dömain", new double[] {1e-300, -0.0, 123456.789}, -7.25, 2.0, "id-9", -42L);
        DecodeResult r = regression.decode(ExampleBinaryCodec.encode(e), null, null);
        assertTrue(r.isAccepted(), r::describe);
        assertEquals(e, r.example());
    }

    @Test
    void decodesExactlyWhatTheJsonCodecDecodesForRandomExamples() {
        ExampleJsonCodec json = new ExampleJsonCodec(new ExampleSchema(0, LabelKind.REAL));
        SplitMix64 rng = new SplitMix64(11);
        for (int n = 0; n < 500; n++) {
            double[] x = new double[1 + rng.nextInt(300)]; // dimensions past 127 need a two-byte varint
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(20) - 10);
            }
            Example e = new Example(n % 2 == 0 ? "a" : "b", x, rng.nextGaussian(),
                    n % 3 == 0 ? rng.nextDouble() : 1.0, n % 5 == 0 ? "id" + n : null, n % 7 == 0 ? n : Long.MIN_VALUE);
            Example fromBinary = anyDimension.decode(ExampleBinaryCodec.encode(e), null, null).example();
            Example fromJson = json.decode(ExampleJsonCodec.encode(e), null, null).example();
            assertEquals(e, fromBinary);
            assertEquals(fromJson, fromBinary);
        }
    }

    @Test
    void domainFallsBackToKeyThenTopic() {
        Example noDomain = new Example(null, new double[] {1, 2, 3}, 1.0);
        byte[] b = ExampleBinaryCodec.encode(noDomain);
        assertEquals(0, b[2] & ExampleBinaryCodec.HAS_DOMAIN);
        assertEquals("k", regression.decode(b, "k", "t").example().domain);
        assertEquals("t", regression.decode(b, "", "t").example().domain);
        assertEquals(RejectionReason.INVALID_DOMAIN, regression.decode(b, null, null).reason());
    }

    @Test
    void isBinaryTellsTheFormatsApart() {
        Example e = new Example("d", new double[] {1, 2, 3}, 1.0);
        assertTrue(ExampleBinaryCodec.isBinary(ExampleBinaryCodec.encode(e)));
        assertFalse(ExampleBinaryCodec.isBinary(ExampleJsonCodec.encode(e)));
        assertFalse(ExampleBinaryCodec.isBinary(new byte[0]));
        assertFalse(ExampleBinaryCodec.isBinary(null));
    }

    @Test
    void rejectsStructurallyBadRecords() {
        byte[] good = ExampleBinaryCodec.encode(new Example("d", new double[] {1, 2, 3}, 1.0, 0.5, "i", 7L));
        assertTrue(regression.decode(good, null, null).isAccepted());
        assertReason(RejectionReason.EMPTY_RECORD, regression.decode(new byte[0], "k", null));
        assertReason(RejectionReason.EMPTY_RECORD, regression.decode(null, "k", null));
        assertReason(RejectionReason.MALFORMED_RECORD, regression.decode("{\"x\":[1,2,3],\"y\":1}".getBytes(StandardCharsets.UTF_8), "k", null));
        // every proper prefix is truncated somewhere
        for (int len = 1; len < good.length; len++) {
            assertReason(RejectionReason.MALFORMED_RECORD, regression.decode(Arrays.copyOf(good, len), null, null));
        }
        assertReason(RejectionReason.MALFORMED_RECORD, regression.decode(Arrays.copyOf(good, good.length + 1), null, null));
        byte[] reserved = good.clone();
        reserved[2] |= 0x10;
        assertReason(RejectionReason.MALFORMED_RECORD, regression.decode(reserved, null, null));
        byte[] later = good.clone();
        later[1] = 2;
        assertReason(RejectionReason.UNSUPPORTED_VERSION, regression.decode(later, null, null));
        // a dimension written in two bytes where one suffices
        byte[] nonMinimal = {ExampleBinaryCodec.MAGIC, 1, 0, (byte) 0x83, 0};
        assertReason(RejectionReason.MALFORMED_RECORD, anyDimension.decode(nonMinimal, "k", null));
        // a huge announced dimension must not allocate
        byte[] huge = {ExampleBinaryCodec.MAGIC, 1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertReason(RejectionReason.MALFORMED_RECORD, anyDimension.decode(huge, "k", null));
    }

    @Test
    void rejectsInvalidValuesWithTheJsonCodecsReasons() {
        assertReason(RejectionReason.WRONG_DIMENSION, regression.decode(encode(new double[] {1, 2}, 1, 1), null, null));
        assertReason(RejectionReason.WRONG_DIMENSION, regression.decode(encode(new double[] {1, 2, 3, 4}, 1, 1), null, null));
        assertReason(RejectionReason.WRONG_DIMENSION, anyDimension.decode(encode(new double[0], 1, 1), null, null));
        assertReason(RejectionReason.NON_FINITE_VALUE, regression.decode(encode(new double[] {1, Double.NaN, 3}, 1, 1), null, null));
        assertReason(RejectionReason.NON_FINITE_VALUE, regression.decode(encode(new double[] {1, 2, 3}, Double.POSITIVE_INFINITY, 1), null, null));
        assertReason(RejectionReason.INVALID_WEIGHT, regression.decode(encode(new double[] {1, 2, 3}, 1, -1), null, null));
        assertReason(RejectionReason.INVALID_WEIGHT, regression.decode(encode(new double[] {1, 2, 3}, 1, Double.NaN), null, null));
        assertReason(RejectionReason.LABEL_NOT_BINARY, classifier.decode(encode(new double[] {1, 2, 3}, 0.5, 1), null, null));
        assertTrue(classifier.decode(encode(new double[] {1, 2, 3}, 1.0, 1), null, null).isAccepted());
        Example longDomain = new Example("d".repeat(250), new double[] {1, 2, 3}, 1.0);
        assertReason(RejectionReason.INVALID_DOMAIN, regression.decode(ExampleBinaryCodec.encode(longDomain), null, null));
        ExampleBinaryCodec small = new ExampleBinaryCodec(new ExampleSchema(3, LabelKind.REAL, 16));
        assertReason(RejectionReason.OVERSIZED_RECORD, small.decode(encode(new double[] {1, 2, 3}, 1, 1), null, null));
    }

    private static byte[] encode(double[] x, double y, double w) {
        return ExampleBinaryCodec.encode(new Example("d", x, y, w, null, Long.MIN_VALUE));
    }

    private static void assertReason(RejectionReason expected, DecodeResult r) {
        assertFalse(r.isAccepted(), "accepted, expected " + expected);
        assertEquals(expected, r.reason(), r::describe);
        assertFalse(r.detail().isBlank());
    }
}
