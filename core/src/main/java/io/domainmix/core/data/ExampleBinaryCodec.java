package io.domainmix.core.data;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A compact binary wire format of an example, beside the JSON one ({@link ExampleJsonCodec}) for
 * streams where parsing decimal text is the throughput bound. Version 1, all numbers little-endian:
 *
 * <pre>
 * size    field
 * 1       magic 0xDB (never the first byte of a JSON record: those start with '{' or white space)
 * 1       version = 1
 * 1       flags: bit 0 domain, bit 1 w, bit 2 id, bit 3 ts present; bits 4–7 zero
 * varint  d, the number of features (unsigned LEB128)
 * [varint n, n bytes]   domain, UTF-8                    (if flag 0)
 * 8·d     x, IEEE 754 binary64
 * 8       y, IEEE 754 binary64
 * [8]     w, IEEE 754 binary64                           (if flag 1)
 * [varint n, n bytes]   id, UTF-8                        (if flag 2)
 * [8]     ts, epoch milliseconds, two's complement int64 (if flag 3)
 * </pre>
 *
 * Nothing may follow the last field. Where the schema makes the label optional (scoring
 * requests), y = NaN marks a record without one. At d = 20 with a two-letter domain a record is 175 bytes
 * (JSON: about 430). Decoding applies the same validation as the JSON codec, with the same
 * reasons; records it cannot read structurally (wrong magic, truncated, trailing bytes, a
 * reserved flag set) are {@link RejectionReason#MALFORMED_RECORD}, and a later version is
 * {@link RejectionReason#UNSUPPORTED_VERSION}. Little-endian because that is the byte order of
 * the machines that run the job: x is read with plain loads, no decimal conversion at all.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExampleBinaryCodec implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final byte MAGIC = (byte) 0xDB;
    public static final int VERSION = 1;

    static final int HAS_DOMAIN = 1;
    static final int HAS_WEIGHT = 1 << 1;
    static final int HAS_ID = 1 << 2;
    static final int HAS_TIMESTAMP = 1 << 3;
    private static final int KNOWN_FLAGS = HAS_DOMAIN | HAS_WEIGHT | HAS_ID | HAS_TIMESTAMP;
    private static final int HEADER_BYTES = 3;

    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ExampleSchema schema;

    public ExampleBinaryCodec(ExampleSchema schema) {
        this.schema = schema;
    }

    public ExampleSchema schema() {
        return schema;
    }

    /** True when a record is in this format (by its first byte), so that one reader can accept both formats. */
    public static boolean isBinary(byte[] value) {
        return value != null && value.length > 0 && value[0] == MAGIC;
    }

    /**
     * Decodes one record value; the arguments are those of {@link ExampleJsonCodec#decode(byte[], String, String)}.
     * Never throws on bad data.
     */
    public DecodeResult decode(byte[] value, String keyDomain, String topicDomain) {
        DecodeResult refused = ExampleValidation.checkSize(schema, value);
        if (refused != null) {
            return refused;
        }
        if (value[0] != MAGIC) {
            return malformed("first byte is 0x" + hex(value[0]) + ", not the binary example magic 0x" + hex(MAGIC));
        }
        if (value.length < HEADER_BYTES) {
            return malformed("record ends inside the header");
        }
        if (value[1] != VERSION) {
            return DecodeResult.rejected(RejectionReason.UNSUPPORTED_VERSION,
                    "binary example version " + (value[1] & 0xFF) + "; this reader knows version " + VERSION);
        }
        int flags = value[2] & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return malformed("reserved flag bits set: 0x" + hex((byte) flags));
        }
        int pos = HEADER_BYTES;
        long dimField = readVarint(value, pos);
        if (dimField < 0) {
            return malformed("record ends inside the dimension, or it is not a minimal varint");
        }
        pos += varintLength(dimField);
        if (dimField == 0 || (schema.dimension() > 0 && dimField != schema.dimension())) {
            return DecodeResult.rejected(RejectionReason.WRONG_DIMENSION,
                    "x has " + dimField + " values; the run expects " + (schema.dimension() > 0 ? schema.dimension() : "at least 1"));
        }
        if (dimField > (value.length - pos) / Double.BYTES) {
            return malformed("record ends inside x (" + dimField + " values announced)");
        }
        int dim = (int) dimField;

        String domain = null;
        if ((flags & HAS_DOMAIN) != 0) {
            long len = readVarint(value, pos);
            if (len < 0 || len > value.length - pos - varintLength(len)) {
                return malformed("record ends inside the domain, or its length is not a minimal varint");
            }
            pos += varintLength(len);
            domain = new String(value, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
        }
        int fixed = Double.BYTES * (dim + 1) + ((flags & HAS_WEIGHT) != 0 ? Double.BYTES : 0);
        if (fixed > value.length - pos) {
            return malformed("record ends inside x, y or w");
        }
        double[] x = new double[dim];
        for (int i = 0; i < dim; i++, pos += Double.BYTES) {
            double v = (double) DOUBLE.get(value, pos);
            if (!Double.isFinite(v)) {
                return DecodeResult.rejected(RejectionReason.NON_FINITE_VALUE, "x[" + i + "] is " + v);
            }
            x[i] = v;
        }
        double y = (double) DOUBLE.get(value, pos);
        pos += Double.BYTES;
        double weight = 1.0;
        if ((flags & HAS_WEIGHT) != 0) {
            weight = (double) DOUBLE.get(value, pos);
            pos += Double.BYTES;
        }
        String id = null;
        if ((flags & HAS_ID) != 0) {
            long len = readVarint(value, pos);
            if (len < 0 || len > value.length - pos - varintLength(len)) {
                return malformed("record ends inside the id, or its length is not a minimal varint");
            }
            pos += varintLength(len);
            id = new String(value, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
        }
        long ts = Long.MIN_VALUE;
        if ((flags & HAS_TIMESTAMP) != 0) {
            if (Long.BYTES > value.length - pos) {
                return malformed("record ends inside ts");
            }
            ts = (long) LONG.get(value, pos);
            pos += Long.BYTES;
        }
        if (pos != value.length) {
            return malformed((value.length - pos) + " trailing bytes after the last field");
        }
        return ExampleValidation.accept(schema, domain, keyDomain, topicDomain, x, y, weight, id, ts);
    }

    /** Encodes an example (domain, x, y, and w/id/ts where set, as the JSON encoder does). */
    public static byte[] encode(Example e) {
        byte[] domain = e.domain == null ? null : e.domain.getBytes(StandardCharsets.UTF_8);
        byte[] id = e.id == null ? null : e.id.getBytes(StandardCharsets.UTF_8);
        boolean hasWeight = e.weight != 1.0;
        int flags = (domain != null ? HAS_DOMAIN : 0) | (hasWeight ? HAS_WEIGHT : 0) | (id != null ? HAS_ID : 0)
                | (e.hasTimestamp() ? HAS_TIMESTAMP : 0);
        int d = e.x.length;
        int size = HEADER_BYTES + varintLength(d)
                + (domain != null ? varintLength(domain.length) + domain.length : 0)
                + Double.BYTES * (d + 1) + (hasWeight ? Double.BYTES : 0)
                + (id != null ? varintLength(id.length) + id.length : 0)
                + (e.hasTimestamp() ? Long.BYTES : 0);
        byte[] out = new byte[size];
        out[0] = MAGIC;
        out[1] = VERSION;
        out[2] = (byte) flags;
        int pos = writeVarint(out, HEADER_BYTES, d);
        if (domain != null) {
            pos = writeVarint(out, pos, domain.length);
            System.arraycopy(domain, 0, out, pos, domain.length);
            pos += domain.length;
        }
        for (int i = 0; i < d; i++, pos += Double.BYTES) {
            DOUBLE.set(out, pos, e.x[i]);
        }
        DOUBLE.set(out, pos, e.y);
        pos += Double.BYTES;
        if (hasWeight) {
            DOUBLE.set(out, pos, e.weight);
            pos += Double.BYTES;
        }
        if (id != null) {
            pos = writeVarint(out, pos, id.length);
            System.arraycopy(id, 0, out, pos, id.length);
            pos += id.length;
        }
        if (e.hasTimestamp()) {
            LONG.set(out, pos, e.timestamp);
        }
        return out;
    }

    /**
     * An unsigned LEB128 value of at most 5 bytes (up to 2^35 − 1) at {@code pos}; −1 when truncated,
     * longer, or not minimal (so that {@link #varintLength} of the value is the number of bytes read).
     */
    static long readVarint(byte[] b, int pos) {
        long v = 0;
        for (int shift = 0, i = pos; shift < 35 && i < b.length; shift += 7, i++) {
            int octet = b[i];
            v |= (long) (octet & 0x7F) << shift;
            if (octet >= 0) {
                return octet == 0 && i > pos ? -1 : v;
            }
        }
        return -1;
    }

    static int varintLength(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int writeVarint(byte[] b, int pos, int v) {
        while ((v & ~0x7F) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    private static DecodeResult malformed(String detail) {
        return DecodeResult.rejected(RejectionReason.MALFORMED_RECORD, detail);
    }

    private static String hex(byte b) {
        return String.format("%02X", b & 0xFF);
    }
}
