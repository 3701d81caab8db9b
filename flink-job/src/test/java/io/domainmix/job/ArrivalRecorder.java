package io.domainmix.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Records the domain of every example in the order the examples reach it, attached where the
 * trainer's input is (keyed by run, one subtask), for tests on the MiniCluster of this JVM.
 */
final class ArrivalRecorder implements Sink<TrainerInput> {
    /** The order examples leave validation, chained to the source: where the pacing acts. */
    static final class AtSource implements Sink<io.domainmix.core.data.Example> {
        private static final long serialVersionUID = 1L;
        private final String name;

        AtSource(String name) {
            this.name = name;
            ARRIVALS.put(name, Collections.synchronizedList(new ArrayList<>()));
        }

        @Override
        public SinkWriter<io.domainmix.core.data.Example> createWriter(WriterInitContext context) {
            List<String> out = ARRIVALS.get(name);
            return new SinkWriter<>() {
                @Override
                public void write(io.domainmix.core.data.Example e, Context c) {
                    out.add(e.domain);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    private static final long serialVersionUID = 1L;
    private static final Map<String, List<String>> ARRIVALS = new ConcurrentHashMap<>();

    private final String name;

    ArrivalRecorder(String name) {
        this.name = name;
        ARRIVALS.put(name, Collections.synchronizedList(new ArrayList<>()));
    }

    /** The domains in arrival order so far. */
    static List<String> arrivals(String name) {
        List<String> list = ARRIVALS.get(name);
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    static int count(String name) {
        return ARRIVALS.get(name).size();
    }

    @Override
    public SinkWriter<TrainerInput> createWriter(WriterInitContext context) {
        List<String> out = ARRIVALS.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(TrainerInput in, Context c) {
                if (in.isExamples()) {
                    for (io.domainmix.core.data.Example e : in.examples.examples) {
                        out.add(e.domain);
                    }
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
