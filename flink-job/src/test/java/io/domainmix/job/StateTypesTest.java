package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.domainmix.job.types.SerializerTypeInfo;
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

/**
 * Every type in the job's state and streams is a Flink POJO all the way down (no Kryo fallback),
 * except the two record types of the busy exchanges, which have hand-written serializers.
 */
class StateTypesTest {

    @Test
    void everyStreamAndStateTypeIsAPojoWithoutGenericParts() {
        for (Class<?> c : List.of(Example.class, RawRecord.class, DeadLetter.class, DomainStats.class,
                DomainStatistics.class, TrainerState.class, io.domainmix.core.train.DomainBuffer.class,
                TrainerProgress.class, ModelSnapshot.class, PublishedSnapshot.class, MetricsRecord.class, io.domainmix.job.score.ScoreRequest.class,
                io.domainmix.job.score.Prediction.class)) {
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
        stats.observe(new Example("a", new double[] {1, 2, 3}, 1));
        t.onDomainStats(stats.summary("a"));
        TrainerState st = t.state();

        @SuppressWarnings("unchecked")
        TypeSerializer<TrainerState> ser = TypeInformation.of(TrainerState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ser.serialize(st, out);
        TrainerState back = ser.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertArrayEquals(st.theta, back.theta, 0.0);
        assertArrayEquals(st.domains, back.domains);
        assertNotNull(st.domainStates[1].ring);
        assertNull(back.domainStates[1].ring, "the rings are checkpointed apart, under their own keys");
        assertEquals(st.domainStates[1].bufferSize, back.domainStates[1].bufferSize);
        assertEquals(st.domainStates[1].bufferNext, back.domainStates[1].bufferNext);
        assertEquals(st.domainStates[1].arrivalCount, back.domainStates[1].arrivalCount);
        assertEquals(st.domainStates[0].decayedCount, back.domainStates[0].decayedCount, 0.0);
        assertEquals(st.rngState, back.rngState);
        assertArrayEquals(st.domainStates[0].fgls.gram, back.domainStates[0].fgls.gram, 0.0);
        assertEquals(st.arrivals, back.arrivals);
        assertArrayEquals(st.scoringTheta, back.scoringTheta, 0.0);
        assertArrayEquals(st.lagHistogram, back.lagHistogram);
        assertArrayEquals(st.recentDomains, back.recentDomains);
        assertEquals(st.domainStates[1].recentCount, back.domainStates[1].recentCount);
        assertEquals(st.domainStates[1].lossMean.currentSum, back.domainStates[1].lossMean.currentSum, 0.0);
        assertEquals(st.domainStates[1].lossMean.previousMean, back.domainStates[1].lossMean.previousMean, 0.0);
        assertEquals(st.domainStates[0].gradientMean.currentLength, back.domainStates[0].gradientMean.currentLength);
    }

    @Test
    void theExchangeRecordsHaveTheirOwnSerializersAndSurviveThem() throws Exception {
        assertTrue(TypeInformation.of(ExampleBatch.class) instanceof SerializerTypeInfo);
        TypeInformation<TrainerInput> info = TypeInformation.of(TrainerInput.class);
        assertTrue(info instanceof SerializerTypeInfo, info.toString());
        TypeSerializer<TrainerInput> ser = info.createSerializer(new SerializerConfigImpl());

        Example plain = new Example("d1", new double[] {1.5, -0.0, Double.MIN_VALUE, 1e300}, -2.25);
        Example full = new Example("d1", new double[] {3, 4, 5, 6}, 7, 0.5, "id-ü-7", 1_700_000_000_123L);
        Example noTime = new Example("d1", new double[] {0, 0, 0, 1}, 0, 2.0, "x", Long.MIN_VALUE);
        TrainerInput batch = TrainerInput.of(new ExampleBatch("d1", new Example[] {plain, full, noTime}));
        TrainerInput back = roundTrip(ser, batch);
        assertEquals("d1", back.examples.domain);
        assertArrayEquals(batch.examples.examples, back.examples.examples); // Example.equals: every field
        assertSame(back.examples.domain, back.examples.examples[2].domain, "one domain string per batch");
        assertNull(back.stats);
        assertEquals(0, roundTrip(ser, TrainerInput.of(new ExampleBatch("e", new Example[0]))).examples.size());

        DomainStatistics s = DomainStatistics.create(3, true, true);
        s.observe(exampleOfD2());
        TrainerInput stats = TrainerInput.of(s.summary("d2"));
        TrainerInput statsBack = roundTrip(ser, stats);
        assertNull(statsBack.examples);
        assertEquals("d2", statsBack.stats.domain);
        assertEquals(stats.stats.count, statsBack.stats.count);
        assertArrayEquals(stats.stats.fgls.gram, statsBack.stats.fgls.gram, 0.0);

        // copies are deep: changing the copy leaves the original alone
        TrainerInput copy = ser.copy(batch);
        copy.examples.examples[0].x[0] = 99;
        assertEquals(1.5, batch.examples.examples[0].x[0], 0.0);
        assertThrows(java.io.IOException.class, () -> ser.deserialize(new DataInputDeserializer(new byte[] {9})));
    }

    private static Example exampleOfD2() {
        return new Example("d2", new double[] {1, 2, 3}, 1);
    }

    private static <T> T roundTrip(TypeSerializer<T> ser, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ser.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        T back = ser.deserialize(in);
        assertEquals(0, in.available(), "the whole record was read");
        return back;
    }
}
