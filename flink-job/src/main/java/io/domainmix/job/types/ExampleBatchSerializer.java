package io.domainmix.job.types;

import io.domainmix.core.data.Example;
import io.domainmix.job.ExampleBatch;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes an {@link ExampleBatch} as its domain once (null for a batch in arrival order, whose
 * examples then each write their own), the number of examples, and per example its domain (only
 * in arrival order), a flags byte (which optional fields follow), the feature count, the features, the label, then the
 * weight (when not 1), the id and the timestamp (when present).
 *
 * <p>Flink's POJO serializer would write the domain again for every example and reach each field
 * through reflection; this is the record format of the job's busiest exchanges. The batches are
 * never kept in state, only sent between operators (and, with unaligned checkpoints, held in
 * flight by a checkpoint of the same version of the job).
 */
public final class ExampleBatchSerializer extends TypeSerializerSingleton<ExampleBatch> {
    private static final long serialVersionUID = 1L;

    public static final ExampleBatchSerializer INSTANCE = new ExampleBatchSerializer();

    private static final int HAS_WEIGHT = 1;
    private static final int HAS_ID = 2;
    private static final int HAS_TIMESTAMP = 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ExampleBatch createInstance() {
        return new ExampleBatch(null, new Example[0]);
    }

    @Override
    public ExampleBatch copy(ExampleBatch from) {
        Example[] copies = new Example[from.examples.length];
        for (int i = 0; i < copies.length; i++) {
            Example e = from.examples[i];
            copies[i] = new Example(e.domain, e.x.clone(), e.y, e.weight, e.id, e.timestamp);
        }
        return new ExampleBatch(from.domain, copies);
    }

    @Override
    public ExampleBatch copy(ExampleBatch from, ExampleBatch reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ExampleBatch batch, DataOutputView out) throws IOException {
        StringValue.writeString(batch.domain, out);
        boolean mixed = batch.domain == null;
        out.writeInt(batch.examples.length);
        for (Example e : batch.examples) {
            if (mixed) {
                StringValue.writeString(e.domain, out);
            }
            int flags = (e.weight != 1.0 ? HAS_WEIGHT : 0) | (e.id != null ? HAS_ID : 0)
                    | (e.hasTimestamp() ? HAS_TIMESTAMP : 0);
            out.writeByte(flags);
            double[] x = e.x;
            out.writeInt(x.length);
            for (double v : x) {
                out.writeDouble(v);
            }
            out.writeDouble(e.y);
            if ((flags & HAS_WEIGHT) != 0) {
                out.writeDouble(e.weight);
            }
            if ((flags & HAS_ID) != 0) {
                StringValue.writeString(e.id, out);
            }
            if ((flags & HAS_TIMESTAMP) != 0) {
                out.writeLong(e.timestamp);
            }
        }
    }

    @Override
    public ExampleBatch deserialize(DataInputView in) throws IOException {
        String batchDomain = StringValue.readString(in);
        Example[] examples = new Example[in.readInt()];
        for (int i = 0; i < examples.length; i++) {
            // one domain string for a batch of one domain
            String domain = batchDomain != null ? batchDomain : StringValue.readString(in);
            int flags = in.readByte();
            double[] x = new double[in.readInt()];
            for (int j = 0; j < x.length; j++) {
                x[j] = in.readDouble();
            }
            double y = in.readDouble();
            double weight = (flags & HAS_WEIGHT) != 0 ? in.readDouble() : 1.0;
            String id = (flags & HAS_ID) != 0 ? StringValue.readString(in) : null;
            long timestamp = (flags & HAS_TIMESTAMP) != 0 ? in.readLong() : Long.MIN_VALUE;
            examples[i] = new Example(domain, x, y, weight, id, timestamp);
        }
        return new ExampleBatch(batchDomain, examples);
    }

    @Override
    public ExampleBatch deserialize(ExampleBatch reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ExampleBatch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format has one version; restoring needs nothing but the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ExampleBatch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
