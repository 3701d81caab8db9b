package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the trainer operator's heap at 10,000 domains is at most 3× its heap at 100 (d = 20,
 * the job's default settings). Measured as the deep size of what the operator keeps alive, in
 * Flink's operator harness on the heap backend ({@link OperatorHeap}); deterministic (a seeded
 * stream, exact object sizes).
 *
 * <p>{@code -Doperator.heap.domains=100,1000,10000 -Doperator.heap.examples=200} prints the
 * table of BENCHMARKS.md (both operators, every part) for other numbers of domains and examples
 * per domain.
 */
class OperatorHeapTest {

    private static JobOptions jobDefaults() {
        return JobOptions.parse(new String[] {"--dim", String.valueOf(OperatorHeap.DIM)});
    }

    @Test
    void trainerAtTenThousandDomainsKeepsAtMostThreeTimesItsHeapAtOneHundred() throws Exception {
        List<Integer> domains = new ArrayList<>();
        for (String s : System.getProperty("operator.heap.domains", "100,10000").split(",")) {
            domains.add(Integer.parseInt(s.trim()));
        }
        int perDomain = Integer.getInteger("operator.heap.examples", 20);
        List<OperatorHeap.Measured> rows = new ArrayList<>();
        System.out.println("| K | examples | trainer working MB | trainer backend MB | trainer metrics MB | trainer total MB"
                + " | statistics backend MB | statistics metrics MB | statistics total MB |");
        for (int k : domains) {
            OperatorHeap.Measured m = OperatorHeap.measure(k, perDomain, jobDefaults());
            rows.add(m);
            System.out.printf("| %,d | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", k, m.examples(),
                    mb(m.trainer().working()), mb(m.trainer().backend()), mb(m.trainer().metrics()), mb(m.trainer().total()),
                    mb(m.statistics().backend()), mb(m.statistics().metrics()), mb(m.statistics().total()));
        }
        OperatorHeap.Measured hundred = rows.stream().filter(m -> m.domains() == 100).findFirst().orElseThrow();
        OperatorHeap.Measured tenThousand = rows.stream().filter(m -> m.domains() == 10_000).findFirst().orElseThrow();
        double ratio = (double) tenThousand.trainer().total() / hundred.trainer().total();
        System.out.printf("trainer operator heap, 10,000 against 100 domains: x%.2f%n", ratio);
        assertTrue(ratio <= 3, "trainer operator heap " + tenThousand.trainer() + " at 10,000 domains against "
                + hundred.trainer() + " at 100: x" + ratio);
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }
}
