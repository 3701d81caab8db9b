package io.domainmix.bench;

import io.domainmix.core.data.Example;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;

/**
 * Seeded example pools for the benchmarks: a benchmark cycles through a pool instead of
 * generating data inside the measured loop, so only the operation under test is timed.
 * A pool of 4096 keeps d = 200 features (6.5 MB) out of L1/L2 much as a real stream would.
 */
final class BenchmarkData {
    static final int POOL = 4096;
    static final long SEED = 7;

    private BenchmarkData() {}

    /** Interleaved examples of the two domains of {@code experiment} ("linear-noise", "logistic-scale", ...). */
    static Example[] pool(String experiment, int dimension, int size) {
        Experiment ex = Experiment.named(experiment, dimension);
        GroundTruth truth = ex.groundTruth(SEED);
        Experiment.Arrivals arrivals = ex.arrivals(truth, SEED);
        Example[] out = new Example[size];
        for (int i = 0; i < size; i++) {
            out[i] = arrivals.next();
        }
        return out;
    }

    static Example[] pool(String experiment, int dimension) {
        return pool(experiment, dimension, POOL);
    }
}
