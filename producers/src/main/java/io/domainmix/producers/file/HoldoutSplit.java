package io.domainmix.producers.file;

import io.domainmix.core.data.Example;
import io.domainmix.core.rng.SplitMix64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seeded split of examples into training and held-out rows, stratified per domain: of a
 * domain's n rows, round(F·n) are held out, chosen by a Fisher–Yates draw seeded by the seed
 * and the domain's name (so a domain's split does not change when rows of other domains are
 * added or removed). Both parts keep the input order.
 */
public final class HoldoutSplit {
    private final List<Example> training;
    private final List<Example> holdout;

    private HoldoutSplit(List<Example> training, List<Example> holdout) {
        this.training = training;
        this.holdout = holdout;
    }

    /**
     * @param fraction in [0, 1)
     */
    public static HoldoutSplit of(List<Example> rows, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("the holdout fraction must be at least 0 and below 1: " + fraction);
        }
        Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byDomain.computeIfAbsent(rows.get(i).domain, d -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[rows.size()];
        for (Map.Entry<String, List<Integer>> d : byDomain.entrySet()) {
            List<Integer> idx = d.getValue();
            int take = (int) Math.round(fraction * idx.size());
            SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, "holdout/" + d.getKey()));
            // the first `take` places of a partial Fisher–Yates shuffle are a uniform sample
            for (int i = 0; i < take; i++) {
                int j = i + rng.nextInt(idx.size() - i);
                Integer t = idx.get(i);
                idx.set(i, idx.get(j));
                idx.set(j, t);
                held[idx.get(i)] = true;
            }
        }
        List<Example> training = new ArrayList<>();
        List<Example> holdout = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (held[i] ? holdout : training).add(rows.get(i));
        }
        return new HoldoutSplit(training, holdout);
    }

    public List<Example> training() {
        return training;
    }

    public List<Example> holdout() {
        return holdout;
    }
}
