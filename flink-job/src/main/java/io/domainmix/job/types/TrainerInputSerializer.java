package io.domainmix.job.types;

import io.domainmix.core.stats.DomainStats;
import io.domainmix.job.TrainerInput;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link TrainerInput} as a tag byte and then either its example batch
 * ({@link ExampleBatchSerializer}, nearly every record) or its statistics summary (Flink's POJO
 * serializer of {@link DomainStats}: one record per thousand examples of a domain). Like the
 * batches, trainer inputs are only sent between operators, never kept in state.
 */
public final class TrainerInputSerializer extends TypeSerializer<TrainerInput> {
    private static final long serialVersionUID = 1L;

    private static final byte EXAMPLES = 0;
    private static final byte STATS = 1;

    private final TypeSerializer<DomainStats> stats;

    public TrainerInputSerializer() {
        this(TypeInformation.of(DomainStats.class).createSerializer(new SerializerConfigImpl()));
    }

    private TrainerInputSerializer(TypeSerializer<DomainStats> stats) {
        this.stats = stats;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<TrainerInput> duplicate() {
        TypeSerializer<DomainStats> d = stats.duplicate();
        return d == stats ? this : new TrainerInputSerializer(d);
    }

    @Override
    public TrainerInput createInstance() {
        return new TrainerInput();
    }

    @Override
    public TrainerInput copy(TrainerInput from) {
        return from.examples != null ? TrainerInput.of(ExampleBatchSerializer.INSTANCE.copy(from.examples))
                : TrainerInput.of(stats.copy(from.stats));
    }

    @Override
    public TrainerInput copy(TrainerInput from, TrainerInput reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TrainerInput record, DataOutputView out) throws IOException {
        if (record.examples != null) {
            out.writeByte(EXAMPLES);
            ExampleBatchSerializer.INSTANCE.serialize(record.examples, out);
        } else {
            out.writeByte(STATS);
            stats.serialize(record.stats, out);
        }
    }

    @Override
    public TrainerInput deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case EXAMPLES:
                return TrainerInput.of(ExampleBatchSerializer.INSTANCE.deserialize(in));
            case STATS:
                return TrainerInput.of(stats.deserialize(in));
            default:
                throw new IOException("not a trainer input: tag " + tag);
        }
    }

    @Override
    public TrainerInput deserialize(TrainerInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainerInputSerializer;
    }

    @Override
    public int hashCode() {
        return TrainerInputSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<TrainerInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format has one version; restoring needs nothing but the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TrainerInput> {
        public Snapshot() {
            super(TrainerInputSerializer::new);
        }
    }
}
