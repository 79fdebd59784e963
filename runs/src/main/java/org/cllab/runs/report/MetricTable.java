package org.cllab.runs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cllab.core.metrics.SeedStatistics;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigSchema;
import org.cllab.runs.run.Summary;

/**
 * Aggregates finished runs over seeds: one {@link Row} per scenario x mode x learner with the mean and sample
 * standard deviation (n - 1) of ACC, BWT and forgetting, the element-wise mean and std of the accuracy matrix and of
 * ACC after each task, and the mean wall time. Learners are in the canonical order of {@link ConfigSchema#learnerTypes()}
 * (unknown names after them, alphabetically), scenarios and modes alphabetically.
 *
 * <p>The result depends only on the set of runs, not on the order they are passed in: runs are sorted by
 * (seed, directory) inside a group before anything is summed, so the floating-point sums are reproducible.
 */
public final class MetricTable {
    /** Metrics reported, as keys of {@code summary.json}'s evaluation entries. */
    public static final List<String> METRICS = List.of("acc", "bwt", "forgetting");

    /** The evaluation series that is not a mode (it has no ACC/BWT of a classifier); left out of reports. */
    static final String TASK_IDENTIFICATION = "task-identification";

    /**
     * One aggregated row.
     *
     * @param scenario        scenario label, e.g. {@code split-mnist 5x2}
     * @param mode            evaluation mode, e.g. {@code class-incremental}
     * @param learner         {@code learner.type}
     * @param runs            number of runs aggregated
     * @param seeds           their {@code run.seed}s, ascending
     * @param meanStd         per metric of {@link #METRICS}, {mean, sample std, 95 % bootstrap interval low, high}
     *                        ({@link SeedStatistics}; the interval is NaN for one run); NaN when a run lacks the
     *                        metric
     * @param meanWallSeconds mean wall time of a run (depends on the machine and load: not a result)
     * @param matrixMean      element-wise mean accuracy matrix, T x T: row k-1 = after training task k, column j-1 =
     *                        evaluated on task j (the untrained row 0 of {@code summary.json} is left out)
     * @param matrixStd       element-wise sample std of the same cells
     * @param accAfterMean    ACC after each task k = 1..T, mean over seeds (index k-1)
     * @param accAfterStd     its sample std
     */
    public record Row(String scenario, String mode, String learner, int runs, List<Long> seeds,
                      Map<String, double[]> meanStd, double meanWallSeconds, double[][] matrixMean,
                      double[][] matrixStd, double[] accAfterMean, double[] accAfterStd) {
        /** @return the number of tasks T */
        public int tasks() {
            return accAfterMean.length;
        }
    }

    /**
     * Wall and training time per scenario x learner (one run trains once, whatever the number of evaluated modes).
     *
     * @param wall  {mean, sample std} of {@code wall_seconds}
     * @param train {mean, sample std} of {@code train_seconds}
     */
    public record TimingRow(String scenario, String learner, int runs, List<Long> seeds, double[] wall,
                            double[] train) {
    }

    private MetricTable() {
    }

    /**
     * @throws ConfigException if a run's accuracy matrix is missing, ragged, or of another size than the other runs
     *     of its group
     */
    public static List<Row> aggregate(List<RunRecord> runs) {
        Map<List<String>, List<RunRecord>> groups = new TreeMap<>(Comparator.<List<String>, String>comparing(
                k -> k.get(0)).thenComparing(k -> k.get(1)).thenComparing(k -> learnerOrder(k.get(2)))
                .thenComparing(k -> k.get(2)));
        for (RunRecord r : runs) {
            r.summary().path("evaluations").fieldNames().forEachRemaining(mode -> {
                if (!mode.equals(TASK_IDENTIFICATION)) {
                    groups.computeIfAbsent(List.of(r.scenario(), mode, r.learner()), k -> new ArrayList<>()).add(r);
                }
            });
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, unsorted) -> {
            List<RunRecord> rs = sorted(unsorted);
            String mode = key.get(1);
            Map<String, double[]> ms = new TreeMap<>(Comparator.comparingInt(METRICS::indexOf));
            for (String m : METRICS) {
                ms.put(m, meanStdCi(rs.stream().mapToDouble(r -> number(r.summary().path("evaluations").path(mode)
                        .path(m))).toArray()));
            }
            double[][][] matrices = rs.stream().map(r -> squareMatrix(r, mode)).toArray(double[][][]::new);
            int t = matrices[0].length;
            for (int i = 1; i < matrices.length; i++) {
                if (matrices[i].length != t) {
                    throw new ConfigException(rs.get(i).dir().resolve(Summary.FILE).toString(),
                            "evaluations." + mode + ".accuracy_matrix", matrices[i].length + " tasks, but "
                                    + rs.get(0).dir().resolve(Summary.FILE) + " of the same group has " + t);
                }
            }
            double[][] mean = new double[t][t];
            double[][] std = new double[t][t];
            double[] accMean = new double[t];
            double[] accStd = new double[t];
            for (int k = 0; k < t; k++) {
                for (int j = 0; j < t; j++) {
                    final int kk = k;
                    final int jj = j;
                    double[] ms2 = meanStd(Arrays.stream(matrices).mapToDouble(m -> m[kk][jj]).toArray());
                    mean[k][j] = ms2[0];
                    std[k][j] = ms2[1];
                }
                final int kk = k;
                double[] acc = meanStd(Arrays.stream(matrices).mapToDouble(m -> accAfter(m, kk)).toArray());
                accMean[k] = acc[0];
                accStd[k] = acc[1];
            }
            double wall = meanStd(rs.stream().mapToDouble(r -> number(r.summary().path("wall_seconds"))).toArray())[0];
            rows.add(new Row(key.get(0), mode, key.get(2), rs.size(), rs.stream().map(RunRecord::seed).toList(), ms,
                    wall, mean, std, accMean, accStd));
        });
        return rows;
    }

    /** Wall and training time per scenario x learner, in the order of {@link #aggregate}. */
    public static List<TimingRow> timing(List<RunRecord> runs) {
        Map<List<String>, List<RunRecord>> groups = new TreeMap<>(Comparator.<List<String>, String>comparing(
                k -> k.get(0)).thenComparing(k -> learnerOrder(k.get(1))).thenComparing(k -> k.get(1)));
        for (RunRecord r : runs) {
            groups.computeIfAbsent(List.of(r.scenario(), r.learner()), k -> new ArrayList<>()).add(r);
        }
        List<TimingRow> out = new ArrayList<>();
        groups.forEach((key, unsorted) -> {
            List<RunRecord> rs = sorted(unsorted);
            out.add(new TimingRow(key.get(0), key.get(1), rs.size(), rs.stream().map(RunRecord::seed).toList(),
                    meanStd(rs.stream().mapToDouble(r -> number(r.summary().path("wall_seconds"))).toArray()),
                    meanStd(rs.stream().mapToDouble(r -> number(r.summary().path("train_seconds"))).toArray())));
        });
        return out;
    }

    private static List<RunRecord> sorted(List<RunRecord> rs) {
        return rs.stream().sorted(Comparator.comparingLong(RunRecord::seed)
                .thenComparing(r -> r.dir().toAbsolutePath().normalize().toString())).toList();
    }

    /**
     * ACC after training task k+1 (0-based {@code k}): the mean accuracy over the tasks seen so far,
     * {@code ACC_k = (1/k) sum_{j<=k} R[k][j]}; for k = T it is the run's ACC.
     *
     * @param m T x T matrix without the untrained row
     */
    static double accAfter(double[][] m, int k) {
        double sum = 0;
        for (int j = 0; j <= k; j++) {
            sum += m[k][j];
        }
        return sum / (k + 1);
    }

    /** The run's accuracy matrix of {@code mode} without the untrained row 0, T x T. */
    private static double[][] squareMatrix(RunRecord r, String mode) {
        JsonNode a = r.summary().path("evaluations").path(mode).path("accuracy_matrix");
        String where = r.dir().resolve(Summary.FILE).toString();
        String key = "evaluations." + mode + ".accuracy_matrix";
        if (!a.isArray() || a.size() < 2) {
            throw new ConfigException(where, key, "missing, or fewer than 2 rows");
        }
        int t = a.size() - 1;
        double[][] m = new double[t][t];
        for (int i = 0; i <= t; i++) {
            JsonNode row = a.get(i);
            if (!row.isArray() || row.size() != t) {
                throw new ConfigException(where, key, "row " + i + " does not have " + t + " numbers");
            }
            for (int j = 0; j < t; j++) {
                if (!row.get(j).isNumber()) {
                    throw new ConfigException(where, key, "row " + i + " column " + j + " is not a number");
                }
                if (i > 0) {
                    m[i - 1][j] = row.get(j).asDouble();
                }
            }
        }
        return m;
    }

    /** A JSON number, or NaN for null / missing / non-numbers (e.g. BWT of a one-task run). */
    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static int learnerOrder(String learner) {
        int i = ConfigSchema.standard().learnerTypes().indexOf(RunCollector.learnerType(learner));
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /**
     * {mean, sample std, bootstrap 95 % low, high} ({@link SeedStatistics#summary}); all NaN if any value is NaN
     * (a run without the metric), the interval NaN for one value.
     */
    static double[] meanStdCi(double[] v) {
        for (double x : v) {
            if (Double.isNaN(x)) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            }
        }
        SeedStatistics.Summary s = SeedStatistics.summary(v);
        return new double[] {s.mean(), s.std(), s.lo(), s.hi()};
    }

    /** {mean, sample std (0 for one value)}; NaN if any value is NaN. */
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

    /**
     * The Markdown table with a wall-time column, as {@code cl report DIR --out FILE.md} has always written it.
     * Report directories keep wall time out of {@code results.md} (see {@link ReportTables}).
     */
    public static String markdown(List<Row> rows) {
        return ReportTables.markdown(rows, true);
    }

    /** CSV with a {@code wall_seconds} column (single-table form, see {@link #markdown}). */
    public static String csv(List<Row> rows) {
        return ReportTables.csv(rows, true);
    }

    /** @param wallColumn whether to add the mean wall seconds per run (run-timing dependent) */
    public static String markdown(List<Row> rows, boolean wallColumn) {
        return ReportTables.markdown(rows, wallColumn);
    }

    /** @param wallColumn whether to add the {@code wall_seconds} column (run-timing dependent) */
    public static String csv(List<Row> rows, boolean wallColumn) {
        return ReportTables.csv(rows, wallColumn);
    }
}
