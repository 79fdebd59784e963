package org.cllab.runs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cllab.runs.run.Summary;

/**
 * The few-shot probe over seeds (issue 12): per scenario x learner label, the mean ± sample std of the probe curve
 * (mean query accuracy over the held-out episodes before training and after each task), of its last point and of the
 * Spearman correlation between task index and the curve. Built from {@code summary.json}'s {@code few_shot_probe}
 * blocks; runs without one are left out.
 *
 * @param curveMean per point 0..T
 * @param spearman  {mean, std} over the runs that have one (NaN if none)
 */
public record ProbeTable(String scenario, String learner, int runs, double[] curveMean, double[] curveStd,
                         double[] last, double[] spearman) {

    /** One row per scenario x learner label with a probe, in report order. */
    public static List<ProbeTable> aggregate(List<RunRecord> runs) {
        Map<List<String>, List<RunRecord>> groups = new TreeMap<>(Comparator.<List<String>, String>comparing(
                k -> k.get(0)).thenComparing(k -> k.get(1)));
        for (RunRecord r : runs) {
            if (r.summary().path(Summary.PROBE).isObject()) {
                groups.computeIfAbsent(List.of(r.scenario(), r.learner()), k -> new ArrayList<>()).add(r);
            }
        }
        List<ProbeTable> rows = new ArrayList<>();
        groups.forEach((key, rs) -> {
            rs.sort(Comparator.comparingLong(RunRecord::seed).thenComparing(r -> r.dir().toString()));
            int points = rs.stream().mapToInt(r -> r.summary().path(Summary.PROBE).path("curve").size()).min()
                    .orElse(0);
            double[] mean = new double[points];
            double[] std = new double[points];
            for (int i = 0; i < points; i++) {
                final int ii = i;
                double[] ms = MetricTable.meanStd(rs.stream().mapToDouble(r -> r.summary().path(Summary.PROBE)
                        .path("curve").path(ii).asDouble(Double.NaN)).toArray());
                mean[i] = ms[0];
                std[i] = ms[1];
            }
            double[] last = MetricTable.meanStd(rs.stream().mapToDouble(r -> r.summary().path(Summary.PROBE)
                    .path("last").asDouble(Double.NaN)).toArray());
            double[] sp = rs.stream().map(r -> r.summary().path(Summary.PROBE).path("spearman"))
                    .filter(JsonNode::isNumber).mapToDouble(JsonNode::asDouble).toArray();
            rows.add(new ProbeTable(key.get(0), key.get(1), rs.size(), mean, std, last, sp.length == 0
                    ? new double[] {Double.NaN, Double.NaN} : MetricTable.meanStd(sp)));
        });
        return rows;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Markdown: one table per scenario. */
    public static String markdown(List<ProbeTable> rows) {
        StringBuilder b = new StringBuilder("# Few-shot probe\n\nMean query accuracy over the held-out probe episodes, "
                + "mean ± sample std over seeds; Spearman: rank correlation between task index (1..T) and the probe "
                + "accuracy after each task.\n");
        String scenario = null;
        for (ProbeTable r : rows) {
            if (!r.scenario().equals(scenario)) {
                scenario = r.scenario();
                b.append("\n## ").append(scenario).append("\n\n| learner | runs | before training | after last task "
                        + "| Spearman |\n|---|---|---|---|---|\n");
            }
            b.append("| ").append(r.learner()).append(" | ").append(r.runs()).append(" | ").append(f(r.curveMean()[0]))
                    .append(" ± ").append(f(r.curveStd()[0])).append(" | ").append(f(r.last()[0])).append(" ± ")
                    .append(f(r.last()[1])).append(" | ").append(f(r.spearman()[0])).append(" ± ")
                    .append(f(r.spearman()[1])).append(" |\n");
        }
        return b.toString();
    }

    /** CSV: one line per scenario x learner x point. */
    public static String csv(List<ProbeTable> rows) {
        StringBuilder b = new StringBuilder("scenario,learner,runs,after_task,probe_mean,probe_std\n");
        for (ProbeTable r : rows) {
            for (int i = 0; i < r.curveMean().length; i++) {
                b.append(ReportTables.csvField(r.scenario())).append(',').append(ReportTables.csvField(r.learner()))
                        .append(',').append(r.runs()).append(',').append(i).append(',').append(r.curveMean()[i])
                        .append(',').append(r.curveStd()[i]).append('\n');
            }
        }
        return b.toString();
    }
}
