package io.domainmix.job.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.domainmix.job.RawChunk;
import io.domainmix.job.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A chunk survives the trip to the decoders field for field, and its records share their topic names. */
class RawChunkSerializerTest {
    private static RawRecord record(String topic, int partition, long offset, String key, String value, long timestamp) {
        return new RawRecord(topic, partition, offset, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), timestamp);
    }

    @Test
    void roundTripKeepsEveryFieldAndSharesTopics() throws Exception {
        RawRecord[] records = {
                record("p.d1", 0, 7, "d1", "{\"x\":[1],\"y\":2}", 1_000),
                record("p.d1", 0, 8, null, "", 1_001),
                record(new String("p.d2"), 3, Long.MAX_VALUE, "é", null, Long.MIN_VALUE), // a null value: a tombstone
                record(new String("p.d1"), 0, 9, "d1", "z", 1_002), // an equal topic in another String object
        };
        RawChunk chunk = new RawChunk(41, records);
        DataOutputSerializer out = new DataOutputSerializer(256);
        RawChunkSerializer.INSTANCE.serialize(chunk, out);
        RawChunk back = RawChunkSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertEquals(41, back.seq);
        assertEquals(records.length, back.records.length);
        for (int i = 0; i < records.length; i++) {
            RawRecord a = records[i];
            RawRecord b = back.records[i];
            assertEquals(a.topic, b.topic);
            assertEquals(a.partition, b.partition);
            assertEquals(a.offset, b.offset);
            assertEquals(a.key, b.key);
            assertEquals(a.timestamp, b.timestamp);
            if (a.value == null) {
                assertNull(b.value);
            } else {
                assertArrayEquals(a.value, b.value);
            }
        }
        assertSame(back.records[0].topic, back.records[3].topic, "one string per topic");
    }

    @Test
    void flinkPicksThisSerializerForTheType() {
        assertEquals(RawChunkSerializer.INSTANCE,
                TypeInformation.of(RawChunk.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
    }
}
