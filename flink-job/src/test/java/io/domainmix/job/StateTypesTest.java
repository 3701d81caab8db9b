package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.stats.DomainStats;
import io.domainmix.core.train.ModelSnapshot;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.train.TrainerState;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import io.domainmix.core.weights.ImportanceMode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Every type in the job's streams and state is a Flink POJO all the way down: no Kryo fallback. */
class StateTypesTest {

    @Test
    void everyStreamAndStateTypeIsAPojoWithoutGenericParts() {
        for (Class<?> c : List.of(Example.class, RawRecord.class, DeadLetter.class, TrainerInput.class, DomainStats.class,
                DomainStatistics.class, TrainerState.class, TrainerProgress.class, ModelSnapshot.class,
                PublishedSnapshot.class, MetricsRecord.class)) {
            TypeInformation<?> info = TypeInformation.of(c);
            assertTrue(info instanceof PojoTypeInfo, c + " is " + info);
            Deque<TypeInformation<?>> todo = new ArrayDeque<>(List.of(info));
            while (!todo.isEmpty()) {
                TypeInformation<?> t = todo.pop();
                assertFalse(t instanceof GenericTypeInfo, c.getSimpleName() + " contains a generic type: " + t);
                if (t instanceof PojoTypeInfo<?> p) {
                    for (int i = 0; i < p.getArity(); i++) {
                        todo.push(p.getPojoFieldAt(i).getTypeInformation());
                    }
                } else if (t instanceof org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo<?, ?> a) {
                    todo.push(a.getComponentInfo());
                }
            }
        }
    }

    @Test
    void aTrainerStateSurvivesItsSerializer() throws Exception {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(3, true),
                new WeightSettings(LossWeightPolicy.FGLS, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        s.bufferCapacity = 8;
        Trainer t = Trainer.create(s);
        for (int i = 0; i < 50; i++) {
            t.onExample(new Example(i % 3 == 0 ? "a" : "b", new double[] {i, 1, -i}, i * 0.5));
        }
        DomainStatistics stats = DomainStatistics.create(3, true, true);
        stats.observe(t.model(), t.theta(), t.theta(), new Example("a", new double[] {1, 2, 3}, 1), 0.01, new double[4]);
        t.onDomainStats(stats.summary("a", 0.01));
        TrainerState st = t.state();

        @SuppressWarnings("unchecked")
        TypeSerializer<TrainerState> ser = TypeInformation.of(TrainerState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ser.serialize(st, out);
        TrainerState back = ser.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertArrayEquals(st.theta, back.theta, 0.0);
        assertArrayEquals(st.domains, back.domains);
        assertArrayEquals(st.bufferX[1], back.bufferX[1], 0.0);
        assertEquals(st.rngState, back.rngState);
        assertArrayEquals(st.fgls[0].gram, back.fgls[0].gram, 0.0);
        assertEquals(st.arrivals, back.arrivals);
    }
}
