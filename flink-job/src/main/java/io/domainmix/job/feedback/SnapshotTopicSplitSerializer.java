package io.domainmix.job.feedback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of {@link SnapshotTopicSplit}: topic, then (partition, next offset) pairs. */
public final class SnapshotTopicSplitSerializer implements SimpleVersionedSerializer<SnapshotTopicSplit> {
    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SnapshotTopicSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public SnapshotTopicSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(SnapshotTopicSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.topic());
        out.writeInt(split.nextOffsets().size());
        for (Map.Entry<Integer, Long> e : split.nextOffsets().entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    static SnapshotTopicSplit read(DataInputStream in) throws IOException {
        String topic = in.readUTF();
        int n = in.readInt();
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            offsets.put(in.readInt(), in.readLong());
        }
        return new SnapshotTopicSplit(topic, offsets);
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown serialization version " + version + " (this build reads " + VERSION + ")");
        }
    }

    /** The enumerator's checkpoint: whether the start offsets are known, and the splits not yet assigned. */
    static final class EnumeratorStateSerializer implements SimpleVersionedSerializer<FeedbackEnumeratorState> {
        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(FeedbackEnumeratorState state) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeBoolean(state.discovered());
                out.writeInt(state.unassigned().size());
                for (SnapshotTopicSplit s : state.unassigned()) {
                    write(s, out);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public FeedbackEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                boolean discovered = in.readBoolean();
                int n = in.readInt();
                List<SnapshotTopicSplit> splits = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    splits.add(read(in));
                }
                return new FeedbackEnumeratorState(discovered, splits);
            }
        }
    }
}
