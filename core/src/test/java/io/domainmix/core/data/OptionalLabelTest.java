package io.domainmix.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Scoring requests may come without a label; training examples may not. */
class OptionalLabelTest {
    private static final ExampleSchema TRAINING = new ExampleSchema(2, LabelKind.BINARY, 1 << 20);
    private static final ExampleSchema REQUESTS = new ExampleSchema(0, LabelKind.REAL, 1 << 20, false);

    @Test
    void jsonWithoutYIsARequestButNotATrainingExample() {
        byte[] json = "{\"id\": \"q-1\", \"x\": [1.5, -2]}".getBytes(StandardCharsets.UTF_8);
        DecodeResult training = new ExampleJsonCodec(TRAINING).decode(json, null, "t");
        assertEquals(RejectionReason.MISSING_LABEL, training.reason());
        DecodeResult request = new ExampleJsonCodec(REQUESTS).decode(json, null, "t");
        assertTrue(request.isAccepted(), request.describe());
        assertTrue(Double.isNaN(request.example().y));
        assertEquals("q-1", request.example().id);
        assertEquals(-2.0, request.example().x[1], 0.0);
    }

    @Test
    void aLabelGivenOnARequestIsStillChecked() {
        ExampleJsonCodec codec = new ExampleJsonCodec(REQUESTS);
        assertEquals(2.5, codec.decode("{\"x\": [1], \"y\": 2.5}", null, "t").example().y, 0.0);
        assertEquals(RejectionReason.NON_NUMERIC_LABEL, codec.decode("{\"x\": [1], \"y\": \"a\"}", null, "t").reason());
        assertEquals(RejectionReason.NON_FINITE_VALUE, codec.decode("{\"x\": [1], \"y\": Infinity}", null, "t").reason());
        assertEquals(RejectionReason.MISSING_FEATURES, codec.decode("{\"y\": 1}", null, "t").reason());
    }

    @Test
    void binaryNanLabelMeansNoLabelOnlyForRequests() {
        byte[] bin = ExampleBinaryCodec.encode(new Example("d", new double[] {1, 2}, Double.NaN));
        DecodeResult request = new ExampleBinaryCodec(REQUESTS).decode(bin, null, "t");
        assertTrue(request.isAccepted(), request.describe());
        assertTrue(Double.isNaN(request.example().y));
        DecodeResult training = new ExampleBinaryCodec(TRAINING).decode(bin, null, "t");
        assertFalse(training.isAccepted());
        assertEquals(RejectionReason.NON_FINITE_VALUE, training.reason());
    }
}
