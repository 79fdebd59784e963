package org.cllab.runs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cllab.runs.config.ConfigSchema;

/**
 * Mean and sample standard deviation (n - 1) over seeds of ACC, BWT and forgetting, one row per
 * scenario x mode x learner, learners in the canonical order of {@link ConfigSchema#LEARNERS}.
 */
public final class MetricTable {
    /** Metrics reported, as keys of {@code summary.json}'s evaluation entries. */
    public static final List<String> METRICS = List.of("acc", "bwt", "forgetting");

    /** One aggregated row. */
    public record Row(String scenario, String mode, String learner, int runs, List<Long> seeds,
                      Map<String, double[]> meanStd, double meanWallSeconds) {
    }

    private MetricTable() {
    }

    public static List<Row> aggregate(List<RunRecord> runs) {
        Map<List<String>, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            r.summary().path("evaluations").fieldNames().forEachRemaining(mode -> {
                if (!mode.equals("task-identification")) {
                    groups.computeIfAbsent(List.of(r.scenario(), mode, r.learner()), k -> new ArrayList<>()).add(r);
                }
            });
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, rs) -> {
            Map<String, double[]> ms = new LinkedHashMap<>();
            for (String m : METRICS) {
                double[] v = rs.stream().mapToDouble(r -> r.summary().path("evaluations").path(key.get(1)).path(m)
                        .asDouble(Double.NaN)).toArray();
                ms.put(m, meanStd(v));
            }
            double wall = rs.stream().mapToDouble(r -> r.summary().path("wall_seconds").asDouble()).average().orElse(0);
            rows.add(new Row(key.get(0), key.get(1), key.get(2), rs.size(),
                    rs.stream().map(RunRecord::seed).sorted().toList(), ms, wall));
        });
        rows.sort(Comparator.comparing(Row::scenario).thenComparing(Row::mode)
                .thenComparing(r -> learnerOrder(r.learner())).thenComparing(Row::learner));
        return rows;
    }

    /** Canonical order of the learner type (the label up to its first space: {@code "ewc (lr=0.01)"} is ewc). */
    private static int learnerOrder(String learner) {
        int sp = learner.indexOf(' ');
        int i = ConfigSchema.LEARNERS.indexOf(sp < 0 ? learner : learner.substring(0, sp));
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** {mean, sample std (0 for one value)}. */
    static double[] meanStd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0};
    }

    public static String markdown(List<Row> rows) {
        return markdown(rows, true);
    }

    /**
     * @param wallColumn include the mean wall time per run (leave it out where reports must be reproducible, e.g.
     *                   a sweep's {@code report/}: wall time differs between an interrupted and an uninterrupted run)
     */
    public static String markdown(List<Row> rows, boolean wallColumn) {
        StringBuilder b = new StringBuilder();
        String group = null;
        for (Row r : rows) {
            String g = r.scenario() + " — " + r.mode();
            if (!g.equals(group)) {
                group = g;
                b.append("\n### ").append(g).append("\n\n");
                b.append("| learner | runs (seeds) | ACC | BWT | forgetting |")
                        .append(wallColumn ? " wall s / run |" : "").append('\n');
                b.append("|---|---|---|---|---|").append(wallColumn ? "---|" : "").append('\n');
            }
            b.append("| ").append(r.learner()).append(" | ").append(r.runs()).append(" (")
                    .append(String.join(",", r.seeds().stream().map(String::valueOf).toList())).append(") |");
            for (String m : METRICS) {
                double[] v = r.meanStd().get(m);
                b.append(String.format(Locale.ROOT, " %.4f ± %.4f |", v[0], v[1]));
            }
            b.append(wallColumn ? String.format(Locale.ROOT, " %.1f |", r.meanWallSeconds()) : "").append('\n');
        }
        return b.toString();
    }

    public static String csv(List<Row> rows) {
        return csv(rows, true);
    }

    /** @param wallColumn include the {@code wall_seconds} column (see {@link #markdown(List, boolean)}) */
    public static String csv(List<Row> rows, boolean wallColumn) {
        StringBuilder b = new StringBuilder("scenario,mode,learner,runs");
        for (String m : METRICS) {
            b.append(',').append(m).append("_mean,").append(m).append("_std");
        }
        b.append(wallColumn ? ",wall_seconds\n" : "\n");
        for (Row r : rows) {
            b.append(r.scenario()).append(',').append(r.mode()).append(',').append(r.learner()).append(',')
                    .append(r.runs());
            for (String m : METRICS) {
                double[] v = r.meanStd().get(m);
                b.append(',').append(v[0]).append(',').append(v[1]);
            }
            b.append(wallColumn ? "," + r.meanWallSeconds() : "").append('\n');
        }
        return b.toString();
    }
}
