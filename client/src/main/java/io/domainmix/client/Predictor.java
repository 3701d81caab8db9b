package io.domainmix.client;

import io.domainmix.core.serve.ServingModel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Predicts with the newest model a {@link SnapshotSubscriber} has read. A call reads one
 * reference and computes in the calling thread: it never waits for Kafka, and a version that
 * arrives meanwhile is used from the next call on. Thread-safe.
 */
public final class Predictor {

    /** A prediction and the snapshot version it was computed with. */
    public record Prediction(double value, String runId, long version) {}

    private final AtomicReference<ServingModel> current = new AtomicReference<>();

    Predictor() {}

    /** Installs {@code model} if it is newer than the one in use; true when it was installed. */
    boolean offer(ServingModel model) {
        while (true) {
            ServingModel old = current.get();
            if (old != null && old.version() >= model.version()) {
                return false;
            }
            if (current.compareAndSet(old, model)) {
                return true;
            }
        }
    }

    /** True once a first snapshot has been read. */
    public boolean isReady() {
        return current.get() != null;
    }

    /** The snapshot version in use, or -1 before the first one. */
    public long version() {
        ServingModel m = current.get();
        return m == null ? -1 : m.version();
    }

    /** The model in use, or null before the first snapshot. */
    public ServingModel model() {
        return current.get();
    }

    /**
     * The prediction for {@code x}: a real value, or the probability of label 1 for logistic and
     * binary-MLP models.
     *
     * @throws IllegalStateException before the first snapshot
     * @throws IllegalArgumentException when {@code x} has the wrong length
     */
    public double predict(double[] x) {
        return require().predict(x);
    }

    /** As {@link #predict}, with the version used: both from the same model, even during a swap. */
    public Prediction score(double[] x) {
        ServingModel m = require();
        return new Prediction(m.predict(x), m.runId(), m.version());
    }

    private ServingModel require() {
        ServingModel m = current.get();
        if (m == null) {
            throw new IllegalStateException("no snapshot read yet");
        }
        return m;
    }
}
