package io.domainmix.job;

import io.domainmix.core.stats.DomainStats;
import io.domainmix.job.types.SerializerTypeInfo;
import io.domainmix.job.types.TrainerInputSerializer;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What the statistics operator sends the trainer: a batch of examples or a statistics summary, in
 * one stream so that each statistics subtask's examples and summaries keep their order.
 * Exactly one field is set.
 */
@TypeInfo(TrainerInput.TypeFactory.class)
public final class TrainerInput {
    public ExampleBatch examples;
    public DomainStats stats;

    public TrainerInput() {}

    public static TrainerInput of(ExampleBatch batch) {
        TrainerInput in = new TrainerInput();
        in.examples = batch;
        return in;
    }

    public static TrainerInput of(DomainStats s) {
        TrainerInput in = new TrainerInput();
        in.stats = s;
        return in;
    }

    public boolean isExamples() {
        return examples != null;
    }

    /** Makes Flink use {@link TrainerInputSerializer} wherever this type appears. */
    public static final class TypeFactory extends TypeInfoFactory<TrainerInput> {
        @Override
        public TypeInformation<TrainerInput> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(TrainerInput.class, new TrainerInputSerializer());
        }
    }
}
