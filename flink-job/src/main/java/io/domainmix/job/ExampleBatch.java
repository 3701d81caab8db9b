package io.domainmix.job;

import io.domainmix.core.data.Example;
import io.domainmix.job.types.ExampleBatchSerializer;
import io.domainmix.job.types.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Consecutive examples sent between operators as one record: of one domain (to the statistics,
 * keyed by domain), or of any domains in the order they arrived ({@link #inArrivalOrder}, to the
 * trainer, whose input must keep the mixture the source paced), with {@link #domain} null.
 *
 * <p>Every record that crosses a keyed exchange costs a serialization, a partitioner call, a
 * deserialization, a key-context switch and keyed-state lookups, each several times what the
 * statistics and the SGD step cost for a d = 20 example; a batch pays them once for all its
 * examples ({@link BatchByDomainOperator} builds them). Serialized by the hand-written
 * {@link ExampleBatchSerializer}: the domain once, then each example's numbers.
 */
@TypeInfo(ExampleBatch.TypeFactory.class)
public final class ExampleBatch {
    /** The one domain of every example, or null when they are of any domains (each has its own). */
    public final String domain;
    public final Example[] examples;

    public ExampleBatch(String domain, Example[] examples) {
        this.domain = domain;
        this.examples = examples;
    }

    /** A batch of one example. */
    public static ExampleBatch of(Example e) {
        return new ExampleBatch(e.domain, new Example[] {e});
    }

    /** Consecutive arrivals of any domains, in their order. */
    public static ExampleBatch inArrivalOrder(Example[] examples) {
        return new ExampleBatch(null, examples);
    }

    public int size() {
        return examples.length;
    }

    @Override
    public String toString() {
        return "ExampleBatch{" + (domain == null ? "in arrival order" : domain) + ", " + examples.length + " examples}";
    }

    /** Makes Flink use {@link ExampleBatchSerializer} wherever this type appears. */
    public static final class TypeFactory extends TypeInfoFactory<ExampleBatch> {
        @Override
        public TypeInformation<ExampleBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(ExampleBatch.class, ExampleBatchSerializer.INSTANCE);
        }
    }
}
