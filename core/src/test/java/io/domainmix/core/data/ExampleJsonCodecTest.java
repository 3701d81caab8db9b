package io.domainmix.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExampleJsonCodecTest {
    private final ExampleJsonCodec regression = new ExampleJsonCodec(new ExampleSchema(3, LabelKind.REAL, 4096));
    private final ExampleJsonCodec classifier = new ExampleJsonCodec(new ExampleSchema(3, LabelKind.BINARY, 4096));

    @Test
    void decodesAllFields() {
        DecodeResult r = regression.decode(
                "{\"domain\":\"wiki\",\"x\":[0.12,-1.3,4],\"y\":2.5,\"id\":\"e-1\",\"ts\":1700000000000,\"w\":0.5,\"extra\":{\"a\":[1]}}",
                "key", "topic");
        assertTrue(r.isAccepted(), r::toString);
        Example e = r.example();
        assertEquals("wiki", e.domain);
        assertArrayEquals(new double[] {0.12, -1.3, 4.0}, e.x);
        assertEquals(2.5, e.y);
        assertEquals(0.5, e.weight);
        assertEquals("e-1", e.id);
        assertEquals(1700000000000L, e.timestamp);
    }

    @Test
    void domainFallsBackToKeyThenTopic() {
        assertEquals("k", regression.decode("{\"x\":[1,2,3],\"y\":1}", "k", "t").example().domain);
        assertEquals("t", regression.decode("{\"x\":[1,2,3],\"y\":1}", null, "t").example().domain);
        assertEquals("t", regression.decode("{\"x\":[1,2,3],\"y\":1}", "", "t").example().domain);
    }

    @Test
    void encodeThenDecodeIsIdentity() {
        Example e = new Example("d", new double[] {1e-300, -0.0, 123456.789}, -7.25, 2.0, "id-9", 42L);
        DecodeResult r = regression.decode(ExampleJsonCodec.encode(e), null, null);
        assertEquals(e, r.example());
    }

    @ParameterizedTest(name = "{1} <- [{0}]")
    @CsvSource(delimiter = '|', value = {
        "'' | EMPTY_RECORD",
        "not json | NOT_JSON",
        "{\"x\":[1,2,3],\"y\":1 | NOT_JSON",
        "{\"x\":[1,2,3],\"y\":1} trailing | NOT_JSON",
        "[1,2,3] | NOT_AN_OBJECT",
        "{\"y\":1} | MISSING_FEATURES",
        "{\"x\":\"1,2,3\",\"y\":1} | FEATURES_NOT_AN_ARRAY",
        "{\"x\":[1,\"a\",3],\"y\":1} | NON_NUMERIC_FEATURE",
        "{\"x\":[1,null,3],\"y\":1} | NON_NUMERIC_FEATURE",
        "{\"x\":[1,2,3]} | MISSING_LABEL",
        "{\"x\":[1,2,3],\"y\":\"high\"} | NON_NUMERIC_LABEL",
        "{\"x\":[1,NaN,3],\"y\":1} | NON_FINITE_VALUE",
        "{\"x\":[1,2,3],\"y\":Infinity} | NON_FINITE_VALUE",
        "{\"x\":[1,2,1e400],\"y\":1} | NON_FINITE_VALUE",
        "{\"x\":[1,2],\"y\":1} | WRONG_DIMENSION",
        "{\"x\":[1,2,3,4],\"y\":1} | WRONG_DIMENSION",
        "{\"x\":[],\"y\":1} | WRONG_DIMENSION",
        "{\"x\":[1,2,3],\"y\":1,\"w\":-1} | INVALID_WEIGHT",
        "{\"x\":[1,2,3],\"y\":1,\"domain\":5} | INVALID_DOMAIN",
    })
    void rejectsWithReason(String json, RejectionReason reason) {
        DecodeResult r = regression.decode(json.getBytes(StandardCharsets.UTF_8), "k", "t");
        assertFalse(r.isAccepted());
        assertEquals(reason, r.reason(), r::describe);
        assertFalse(r.detail().isBlank());
    }

    @Test
    void classifierRejectsLabelsOutsideZeroOne() {
        assertTrue(classifier.decode("{\"x\":[1,2,3],\"y\":1}", "k", null).isAccepted());
        assertTrue(classifier.decode("{\"x\":[1,2,3],\"y\":0.0}", "k", null).isAccepted());
        DecodeResult r = classifier.decode("{\"x\":[1,2,3],\"y\":0.5}", "k", null);
        assertEquals(RejectionReason.LABEL_NOT_BINARY, r.reason());
    }

    @Test
    void rejectsOversizedAndDomainless() {
        ExampleJsonCodec small = new ExampleJsonCodec(new ExampleSchema(3, LabelKind.REAL, 16));
        assertEquals(RejectionReason.OVERSIZED_RECORD, small.decode("{\"x\":[1,2,3],\"y\":1}", "k", null).reason());
        assertEquals(RejectionReason.INVALID_DOMAIN, regression.decode("{\"x\":[1,2,3],\"y\":1}", null, null).reason());
        assertEquals(RejectionReason.EMPTY_RECORD, regression.decode((byte[]) null, "k", null).reason());
    }

    @Test
    void anyDimensionWhenSchemaSaysZero() {
        ExampleJsonCodec any = new ExampleJsonCodec(new ExampleSchema(0, LabelKind.REAL));
        double[] x = new double[100];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Example e = any.decode(ExampleJsonCodec.encode(new Example("d", x, 1)), null, null).example();
        assertArrayEquals(x, e.x);
    }
}
