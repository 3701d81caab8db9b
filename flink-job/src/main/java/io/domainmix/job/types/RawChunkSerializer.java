package io.domainmix.job.types;

import io.domainmix.job.RawChunk;
import io.domainmix.job.RawRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link RawChunk} as its number, its distinct topic names once, then per record the
 * topic's index, partition, offset, timestamp, key and value bytes.
 *
 * <p>This is the exchange from the one paced reader to the decoders, which the unpaced job does
 * not have, on the reader's thread: Flink's POJO serializer would write each record's topic name
 * again and reach each field through reflection. The decoded records share one topic string, so
 * the decoders' per-topic lookups compare references. Chunks are never kept in state, only sent
 * between operators (and, with unaligned checkpoints, held in flight by a checkpoint of the same
 * version of the job).
 */
public final class RawChunkSerializer extends TypeSerializerSingleton<RawChunk> {
    private static final long serialVersionUID = 1L;

    public static final RawChunkSerializer INSTANCE = new RawChunkSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RawChunk createInstance() {
        return new RawChunk(0, new RawRecord[0]);
    }

    @Override
    public RawChunk copy(RawChunk from) {
        RawRecord[] copies = new RawRecord[from.records.length];
        for (int i = 0; i < copies.length; i++) {
            RawRecord r = from.records[i];
            copies[i] = new RawRecord(r.topic, r.partition, r.offset, r.key, r.value == null ? null : r.value.clone(), r.timestamp);
        }
        return new RawChunk(from.seq, copies);
    }

    @Override
    public RawChunk copy(RawChunk from, RawChunk reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RawChunk chunk, DataOutputView out) throws IOException {
        out.writeLong(chunk.seq);
        List<String> topics = new ArrayList<>(2);
        Map<String, Integer> index = new HashMap<>(4);
        int[] topicOf = new int[chunk.records.length];
        for (int i = 0; i < chunk.records.length; i++) {
            String topic = chunk.records[i].topic;
            // records come in runs of one partition: most records reuse the previous record's topic
            if (i > 0 && topic == chunk.records[i - 1].topic) {
                topicOf[i] = topicOf[i - 1];
                continue;
            }
            Integer t = index.get(topic);
            if (t == null) {
                t = topics.size();
                index.put(topic, t);
                topics.add(topic);
            }
            topicOf[i] = t;
        }
        out.writeInt(topics.size());
        for (String topic : topics) {
            StringValue.writeString(topic, out);
        }
        out.writeInt(chunk.records.length);
        for (int i = 0; i < chunk.records.length; i++) {
            RawRecord r = chunk.records[i];
            out.writeInt(topicOf[i]);
            out.writeInt(r.partition);
            out.writeLong(r.offset);
            out.writeLong(r.timestamp);
            StringValue.writeString(r.key, out);
            if (r.value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(r.value.length);
                out.write(r.value);
            }
        }
    }

    @Override
    public RawChunk deserialize(DataInputView in) throws IOException {
        long seq = in.readLong();
        String[] topics = new String[in.readInt()];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = StringValue.readString(in);
        }
        RawRecord[] records = new RawRecord[in.readInt()];
        for (int i = 0; i < records.length; i++) {
            String topic = topics[in.readInt()];
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            String key = StringValue.readString(in);
            int length = in.readInt();
            byte[] value = null;
            if (length >= 0) {
                value = new byte[length];
                in.readFully(value);
            }
            records[i] = new RawRecord(topic, partition, offset, key, value, timestamp);
        }
        return new RawChunk(seq, records);
    }

    @Override
    public RawChunk deserialize(RawChunk reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RawChunk> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format has one version; restoring needs nothing but the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawChunk> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
