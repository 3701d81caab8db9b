package io.domainmix.core.offline;

import io.domainmix.core.data.Example;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Examples grouped by domain, domains in name order (so that every fit and every report lists
 * them alike whatever order the rows came in).
 */
public final class DomainRows {
    private final Map<String, List<Example>> byDomain = new TreeMap<>();
    private final int dimension;

    public DomainRows(Collection<Example> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows");
        }
        int d = -1;
        for (Example e : rows) {
            if (d < 0) {
                d = e.x.length;
            } else if (e.x.length != d) {
                throw new IllegalArgumentException("rows of different dimensions: " + d + " and " + e.x.length
                        + " (domain " + e.domain + ")");
            }
            byDomain.computeIfAbsent(e.domain, k -> new ArrayList<>()).add(e);
        }
        this.dimension = d;
    }

    public int dimension() {
        return dimension;
    }

    public List<String> domains() {
        return List.copyOf(byDomain.keySet());
    }

    /** The rows of a domain; empty for a domain that has none. */
    public List<Example> of(String domain) {
        return byDomain.getOrDefault(domain, List.of());
    }

    public long count() {
        return byDomain.values().stream().mapToLong(List::size).sum();
    }

    /** Each domain's share of the rows, in {@link #domains()} order. */
    public double[] shares() {
        List<String> names = domains();
        double[] s = new double[names.size()];
        double n = count();
        for (int i = 0; i < s.length; i++) {
            s[i] = of(names.get(i)).size() / n;
        }
        return s;
    }
}
