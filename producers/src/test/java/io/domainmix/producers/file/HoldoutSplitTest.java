package io.domainmix.producers.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The holdout split: stratified per domain, seeded, disjoint, exact fractions, order kept. */
class HoldoutSplitTest {
    /** Rows of three domains of different sizes, interleaved; ids number them in input order. */
    private static List<Example> rows() {
        List<Example> out = new ArrayList<>();
        int[] counts = {1000, 250, 37};
        for (int i = 0; i < 1000; i++) {
            for (int k = 0; k < counts.length; k++) {
                if (i < counts[k]) {
                    out.add(new Example("d" + k, new double[] {i}, i, 1.0, "r" + out.size(), Long.MIN_VALUE));
                }
            }
        }
        return out;
    }

    @Test
    void eachDomainLosesItsFractionAndThePartsAreDisjointAndComplete() {
        List<Example> all = rows();
        HoldoutSplit s = HoldoutSplit.of(all, 0.2, 7);
        assertEquals(200, count(s.holdout(), "d0"));
        assertEquals(50, count(s.holdout(), "d1"));
        assertEquals(7, count(s.holdout(), "d2"), "round(0.2 · 37) = 7");
        assertEquals(800, count(s.training(), "d0"));
        Set<String> held = ids(s.holdout());
        Set<String> trained = ids(s.training());
        assertEquals(s.holdout().size(), held.size());
        held.retainAll(trained);
        assertTrue(held.isEmpty(), "a row in both parts: " + held);
        assertEquals(all.size(), s.training().size() + s.holdout().size());
        // both parts keep the input order
        assertTrue(increasing(s.training()) && increasing(s.holdout()));
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        assertEquals(ids(HoldoutSplit.of(rows(), 0.2, 7).holdout()), ids(HoldoutSplit.of(rows(), 0.2, 7).holdout()));
        assertNotEquals(ids(HoldoutSplit.of(rows(), 0.2, 7).holdout()), ids(HoldoutSplit.of(rows(), 0.2, 8).holdout()));
    }

    @Test
    void aDomainsSplitDoesNotDependOnTheOtherDomains() {
        List<Example> onlyD1 = rows().stream().filter(e -> e.domain.equals("d1")).toList();
        Set<Double> alone = HoldoutSplit.of(onlyD1, 0.3, 3).holdout().stream().map(e -> e.y).collect(Collectors.toSet());
        Set<Double> mixed = HoldoutSplit.of(rows(), 0.3, 3).holdout().stream().filter(e -> e.domain.equals("d1"))
                .map(e -> e.y).collect(Collectors.toSet());
        assertEquals(alone, mixed);
    }

    @Test
    void theDrawIsSpreadOverTheDomain() {
        // not the first or last rows: about a fifth of each half of d0 is held out (binomial sd ≈ 8.9 of 100)
        List<Example> held = HoldoutSplit.of(rows(), 0.2, 11).holdout();
        long firstHalf = held.stream().filter(e -> e.domain.equals("d0") && e.y < 500).count();
        assertEquals(100, firstHalf, 35);
    }

    @Test
    void fractionZeroHoldsNothingOutAndBadFractionsAreRefused() {
        assertEquals(0, HoldoutSplit.of(rows(), 0, 1).holdout().size());
        assertThrows(IllegalArgumentException.class, () -> HoldoutSplit.of(rows(), 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> HoldoutSplit.of(rows(), -0.1, 1));
    }

    private static long count(List<Example> rows, String domain) {
        return rows.stream().filter(e -> e.domain.equals(domain)).count();
    }

    private static Set<String> ids(List<Example> rows) {
        return rows.stream().map(e -> e.id).collect(Collectors.toCollection(HashSet::new));
    }

    private static boolean increasing(List<Example> rows) {
        for (int i = 1; i < rows.size(); i++) {
            if (Integer.parseInt(rows.get(i).id.substring(1)) <= Integer.parseInt(rows.get(i - 1).id.substring(1))) {
                return false;
            }
        }
        return true;
    }
}
