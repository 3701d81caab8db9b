package io.domainmix.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON wire format of an example:
 *
 * <pre>{"domain": "wiki", "x": [0.12, -1.3, 4.0], "y": 2.5, "id": "e-17", "ts": 1700000000000, "w": 1.0}</pre>
 *
 * {@code x} and {@code y} are required ({@code y} is optional where the schema says so: scoring
 * requests); {@code domain}, {@code id}, {@code ts} and {@code w} are optional. Where {@code domain} is absent the record key names the domain, else the topic.
 *
 * <p>Decoding streams tokens (no tree is built) with Jackson's fast double parser, since parsing
 * is the throughput bound of the whole job. {@code NaN} and {@code Infinity} literals are read
 * so that they can be rejected with a precise reason instead of a generic syntax error.
 */
public final class ExampleJsonCodec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int INITIAL_FEATURE_CAPACITY = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final ExampleSchema schema;

    public ExampleJsonCodec(ExampleSchema schema) {
        this.schema = schema;
    }

    public ExampleSchema schema() {
        return schema;
    }

    /**
     * Decodes one record value.
     *
     * @param value the record bytes (may be null: a tombstone is rejected, not thrown)
     * @param keyDomain the record key as text, or null
     * @param topicDomain the domain implied by the topic name, or null
     */
    public DecodeResult decode(byte[] value, String keyDomain, String topicDomain) {
        DecodeResult refused = ExampleValidation.checkSize(schema, value);
        if (refused != null) {
            return refused;
        }
        try (JsonParser p = FACTORY.createParser(value)) {
            return decodeObject(p, keyDomain, topicDomain);
        } catch (JsonProcessingException e) {
            return DecodeResult.rejected(RejectionReason.NOT_JSON, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return DecodeResult.rejected(RejectionReason.NOT_JSON, String.valueOf(e.getMessage()));
        }
    }

    /** Decodes a record given as text, e.g. a line of a JSON-lines file. */
    public DecodeResult decode(String value, String keyDomain, String topicDomain) {
        return decode(value == null ? null : value.getBytes(StandardCharsets.UTF_8), keyDomain, topicDomain);
    }

    private DecodeResult decodeObject(JsonParser p, String keyDomain, String topicDomain) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return DecodeResult.rejected(RejectionReason.NOT_AN_OBJECT, "a JSON object is required");
        }
        String domain = null;
        double[] x = null;
        int dim = 0;
        boolean hasY = false;
        double y = Double.NaN;
        double weight = 1.0;
        String id = null;
        long ts = Long.MIN_VALUE;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "x":
                    if (v != JsonToken.START_ARRAY) {
                        return DecodeResult.rejected(RejectionReason.FEATURES_NOT_AN_ARRAY,
                                "field x must be an array of numbers, found " + describe(v));
                    }
                    x = new double[schema.dimension() > 0 ? schema.dimension() : INITIAL_FEATURE_CAPACITY];
                    dim = 0;
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e != JsonToken.VALUE_NUMBER_FLOAT && e != JsonToken.VALUE_NUMBER_INT) {
                            return DecodeResult.rejected(RejectionReason.NON_NUMERIC_FEATURE,
                                    "x[" + dim + "] is " + describe(e) + ", not a number");
                        }
                        double d = p.getDoubleValue();
                        if (!Double.isFinite(d)) {
                            return DecodeResult.rejected(RejectionReason.NON_FINITE_VALUE, "x[" + dim + "] is " + d);
                        }
                        if (dim == x.length) {
                            if (schema.dimension() > 0) {
                                return DecodeResult.rejected(RejectionReason.WRONG_DIMENSION,
                                        "x has more than " + schema.dimension() + " values; the run expects "
                                                + schema.dimension());
                            }
                            x = Arrays.copyOf(x, x.length * 2);
                        }
                        x[dim++] = d;
                    }
                    break;
                case "y":
                    if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
                        return DecodeResult.rejected(RejectionReason.NON_NUMERIC_LABEL,
                                "y is " + describe(v) + ", not a number");
                    }
                    y = p.getDoubleValue();
                    hasY = true;
                    break;
                case "w":
                    if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
                        return DecodeResult.rejected(RejectionReason.INVALID_WEIGHT, "w is " + describe(v) + ", not a number");
                    }
                    weight = p.getDoubleValue();
                    break;
                case "domain":
                    if (v != JsonToken.VALUE_STRING) {
                        return DecodeResult.rejected(RejectionReason.INVALID_DOMAIN,
                                "domain is " + describe(v) + ", not a string");
                    }
                    domain = p.getText();
                    break;
                case "id":
                    id = v == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    if (v.isStructStart()) {
                        p.skipChildren();
                    }
                    break;
                case "ts":
                    if (v == JsonToken.VALUE_NUMBER_INT) {
                        ts = p.getLongValue();
                    } else if (v.isStructStart()) {
                        p.skipChildren();
                    }
                    break;
                default:
                    // unknown fields are allowed (forward compatibility); skip whole values
                    p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return DecodeResult.rejected(RejectionReason.NOT_JSON, "unexpected " + describe(t));
        }
        if (p.nextToken() != null) {
            return DecodeResult.rejected(RejectionReason.NOT_JSON, "trailing content after the object");
        }
        if (x == null) {
            return DecodeResult.rejected(RejectionReason.MISSING_FEATURES, "field x is missing");
        }
        if (!hasY && schema.labelRequired()) {
            return DecodeResult.rejected(RejectionReason.MISSING_LABEL, "field y is missing");
        }
        if (dim == 0 || (schema.dimension() > 0 && dim != schema.dimension())) {
            return DecodeResult.rejected(RejectionReason.WRONG_DIMENSION,
                    "x has " + dim + " values; the run expects " + (schema.dimension() > 0 ? schema.dimension() : "at least 1"));
        }
        return ExampleValidation.accept(schema, domain, keyDomain, topicDomain,
                dim == x.length ? x : Arrays.copyOf(x, dim), y, weight, id, ts);
    }

    /** Encodes an example in the wire format (domain, x, y, and w/id/ts where set). */
    public static byte[] encode(Example e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(24 + 24 * e.x.length);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("domain", e.domain);
            g.writeFieldName("x");
            g.writeArray(e.x, 0, e.x.length);
            g.writeNumberField("y", e.y);
            if (e.weight != 1.0) {
                g.writeNumberField("w", e.weight);
            }
            if (e.id != null) {
                g.writeStringField("id", e.id);
            }
            if (e.hasTimestamp()) {
                g.writeNumberField("ts", e.timestamp);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public static String encodeToString(Example e) {
        return new String(encode(e), StandardCharsets.UTF_8);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case VALUE_STRING: return "a string";
            case VALUE_NULL: return "null";
            case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT: return "a number";
            default: return t.asString() == null ? t.name() : t.asString();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
