package io.domainmix.job;

import io.domainmix.job.types.RawChunkSerializer;
import io.domainmix.job.types.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Consecutive raw records of the example source, numbered in the order the source handed them on
 * ({@link SequenceChunksOperator}), so that the examples decoded from them in parallel can be put
 * back in that order ({@link ResequenceFunction}). Serialized by {@link RawChunkSerializer}.
 */
@TypeInfo(RawChunk.TypeFactory.class)
public final class RawChunk {
    /** The chunk's place in the source's order: 0, 1, 2, … with no gaps. */
    public long seq;
    public RawRecord[] records;

    public RawChunk() {}

    public RawChunk(long seq, RawRecord[] records) {
        this.seq = seq;
        this.records = records;
    }

    /** Makes Flink use {@link RawChunkSerializer} wherever this type appears. */
    public static final class TypeFactory extends TypeInfoFactory<RawChunk> {
        @Override
        public TypeInformation<RawChunk> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(RawChunk.class, RawChunkSerializer.INSTANCE);
        }
    }
}
