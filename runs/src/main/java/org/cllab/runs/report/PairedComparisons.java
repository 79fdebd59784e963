package org.cllab.runs.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cllab.core.metrics.SeedStatistics;

/**
 * Paired comparisons of final ACC between the learners of one scenario x mode that were run on common seeds: for
 * every pair, the mean difference over the shared seeds, its 95 % bootstrap interval and the sign-flip p-value
 * ({@link SeedStatistics#paired}). A row says "A > B" only when the interval lies above 0. Reference learners are
 * left out, as in the tables' bold marks.
 */
public final class PairedComparisons {
    private PairedComparisons() {
    }

    /**
     * One comparison.
     *
     * @param group   scenario and mode, as the heading of its table
     * @param a       first learner label
     * @param b       second learner label
     * @param seeds   the shared seeds
     * @param result  the paired statistics of ACC(a) - ACC(b)
     */
    public record Comparison(String group, String a, String b, List<Long> seeds, SeedStatistics.Paired result) {
        /** "A > B", "A < B" or "no difference shown". */
        public String verdict() {
            return switch (result.verdict()) {
                case 1 -> a + " > " + b;
                case -1 -> a + " < " + b;
                default -> "no difference shown";
            };
        }
    }

    /** Every pair of learners of a scenario x mode with at least two shared seeds, in table order. */
    public static List<Comparison> of(List<MetricTable.Row> rows, List<RunRecord> runs) {
        // final ACC per (scenario, mode, learner) and seed
        Map<List<String>, Map<Long, Double>> acc = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            r.summary().path("evaluations").fields().forEachRemaining(e -> {
                if (e.getValue().path("acc").isNumber()) {
                    acc.computeIfAbsent(List.of(r.scenario(), e.getKey(), r.learner()), k -> new TreeMap<>())
                            .put(r.seed(), e.getValue().path("acc").asDouble());
                }
            });
        }
        List<Comparison> out = new ArrayList<>();
        ReportTables.byScenarioMode(rows).forEach((group, rs) -> {
            List<MetricTable.Row> ranked = rs.stream().filter(r -> !ReportTables.isReference(r)).toList();
            for (int i = 0; i < ranked.size(); i++) {
                for (int j = i + 1; j < ranked.size(); j++) {
                    MetricTable.Row x = ranked.get(i);
                    MetricTable.Row y = ranked.get(j);
                    Map<Long, Double> ax = acc.getOrDefault(List.of(x.scenario(), x.mode(), x.learner()), Map.of());
                    Map<Long, Double> ay = acc.getOrDefault(List.of(y.scenario(), y.mode(), y.learner()), Map.of());
                    List<Long> shared = ax.keySet().stream().filter(ay::containsKey).sorted().toList();
                    if (shared.size() < 2) {
                        continue;
                    }
                    double[] va = shared.stream().mapToDouble(ax::get).toArray();
                    double[] vb = shared.stream().mapToDouble(ay::get).toArray();
                    out.add(new Comparison(group, x.learner(), y.learner(), shared, SeedStatistics.paired(va, vb)));
                }
            }
        });
        return out;
    }

    /** Markdown: one table per scenario x mode that has comparisons; empty when there are none. */
    public static String markdown(List<Comparison> comparisons) {
        if (comparisons.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("\n## Paired comparisons of final ACC (same seeds)\n\nMean difference over "
                + "the shared seeds, its 95 % bootstrap interval and the two-sided sign-flip p-value (exact); a row "
                + "says A > B only when the interval lies above 0 (docs/metrics.md). With n seeds the smallest "
                + "possible p is 2 / 2^n.\n");
        String group = null;
        for (Comparison c : comparisons) {
            if (!c.group().equals(group)) {
                group = c.group();
                b.append("\n### ").append(group).append("\n\n| A | B | seeds | A − B | 95 % interval | p | verdict |\n"
                        + "|---|---|---|---|---|---|---|\n");
            }
            SeedStatistics.Paired p = c.result();
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %+.4f | [%.4f, %.4f] | %.3f | %s |%n",
                    c.a().replace("|", "\\|"), c.b().replace("|", "\\|"), p.n(), p.meanDiff(), p.lo(), p.hi(), p.p(),
                    c.verdict().replace("|", "\\|")));
        }
        return b.toString();
    }
}
