package org.cllab.runs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cllab.runs.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricTableTest {
    private static final double EPS = 1e-12;

    @TempDir
    Path tmp;

    @Test
    void meanAndSampleStdByHand() throws IOException {
        FakeRuns.threeFinetuneOneJoint(tmp, 0);
        List<MetricTable.Row> rows = MetricTable.aggregate(RunCollector.collect(tmp));
        assertEquals(2, rows.size(), "task-identification is not a mode: " + rows);
        MetricTable.Row ft = rows.get(0);
        assertEquals(List.of(FakeRuns.SCENARIO, "class-incremental", "finetune", 3, List.of(0L, 1L, 2L)),
                List.of(ft.scenario(), ft.mode(), ft.learner(), ft.runs(), ft.seeds()));
        assertEquals("joint", rows.get(1).learner());
        // acc 0.5, 0.4, 0.5: mean 0.4667, deviations 1/30, -2/30, 1/30 -> s^2 = (6/900)/2
        // then the exact bootstrap over the 27 resamples of {0.5, 0.4, 0.5}: means 0.4 (1), 0.4333 (6), 0.4667 (12),
        // 0.5 (8); type-7 quantile 0.025 at h = .65 -> 0.4 + .65 * (1/30), 0.975 at h = 25.35 -> 0.5
        assertArrayEquals(new double[] {1.4 / 3, Math.sqrt(6.0 / 900 / 2), 0.4 + 0.65 / 30, 0.5},
                ft.meanStd().get("acc"), EPS);
        assertArrayEquals(new double[] {-0.2, 0.1}, Arrays.copyOf(ft.meanStd().get("bwt"), 2), EPS);
        // forgetting 0.1, 0.1, 0.4: mean 0.2, s^2 = (0.01 + 0.01 + 0.04) / 2 = 0.03
        assertArrayEquals(new double[] {0.2, Math.sqrt(0.03)}, Arrays.copyOf(ft.meanStd().get("forgetting"), 2), EPS);
        assertEquals(12.0, ft.meanWallSeconds(), EPS);
        // matrix without the untrained row: after task 3 on task 1 = 0.2, 0.4, 0.3
        assertEquals(0.3, ft.matrixMean()[2][0], EPS);
        assertEquals(0.1, ft.matrixStd()[2][0], EPS);
        assertEquals(0.8, ft.matrixMean()[0][0], EPS);
        // ACC after each task: run ACC_k = mean_{j<=k} R[k][j]: (0.9, 0.55, 0.5), (0.7, 0.55, 0.4), (0.8, 0.5, 0.5)
        assertArrayEquals(new double[] {0.8, 1.6 / 3, 1.4 / 3}, ft.accAfterMean(), EPS);
        assertArrayEquals(new double[] {0.1, Math.sqrt(6.0 / 3600 / 2), Math.sqrt(6.0 / 900 / 2)},
                ft.accAfterStd(), EPS);
        // the last point of the curve is the runs' ACC
        assertEquals(ft.meanStd().get("acc")[0], ft.accAfterMean()[2], EPS);
        MetricTable.Row joint = rows.get(1);
        assertArrayEquals(new double[] {0.9, 0.0, Double.NaN, Double.NaN}, joint.meanStd().get("acc"), EPS);
    }

    @Test
    void resultIsIndependentOfRunOrder() throws IOException {
        FakeRuns.threeFinetuneOneJoint(tmp, 0);
        List<RunRecord> runs = RunCollector.collect(tmp);
        String md = ReportTables.markdown(MetricTable.aggregate(runs), true);
        String csv = ReportTables.csv(MetricTable.aggregate(runs), true);
        String tex = ReportTables.latex(MetricTable.aggregate(runs));
        Random rnd = new Random(7);
        for (int i = 0; i < 5; i++) {
            List<RunRecord> shuffled = new ArrayList<>(runs);
            Collections.shuffle(shuffled, rnd);
            List<MetricTable.Row> rows = MetricTable.aggregate(shuffled);
            assertEquals(md, ReportTables.markdown(rows, true));
            assertEquals(csv, ReportTables.csv(rows, true));
            assertEquals(tex, ReportTables.latex(rows));
            assertEquals(ReportTables.accCurvesCsv(MetricTable.aggregate(runs)), ReportTables.accCurvesCsv(rows));
        }
    }

    @Test
    void runsWithOtherSettingsAreNotAveragedTogether() throws IOException {
        FakeRuns.threeFinetuneOneJoint(tmp, 0);
        double[][] m = {{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, 0.5, 1}};
        Path lr = FakeRuns.write(tmp.resolve("ft-lr/s0"), "finetune", 0, m, 2.0 / 3, 0.0, 0.25, 1);
        Files.writeString(lr.resolve("config.yaml"), Files.readString(lr.resolve("config.yaml"))
                + "  lr: 0.01\n  seed: 5\n");   // learner.seed is a seed, learner.lr a different experiment
        List<MetricTable.Row> rows = MetricTable.aggregate(RunCollector.collect(tmp));
        assertEquals(List.of("finetune (lr=0.001)", "finetune (lr=0.01)", "joint"),
                rows.stream().map(MetricTable.Row::learner).toList());
        assertEquals(3, rows.get(0).runs());
        assertEquals(1, rows.get(1).runs());
    }

    @Test
    void missingMetricIsNotANumberNotZero() throws IOException {
        double[][] m = {{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, 0.5, 1}};
        FakeRuns.write(tmp.resolve("a"), "finetune", 0, m, 2.0 / 3, null, 0.25, 1);
        MetricTable.Row r = MetricTable.aggregate(RunCollector.collect(tmp)).get(0);
        assertTrue(Double.isNaN(r.meanStd().get("bwt")[0]));
        assertTrue(ReportTables.markdown(List.of(r), false).contains("| n/a |"));
        // one run: no interval (empty); the missing BWT: empty mean, std and interval
        assertTrue(ReportTables.csv(List.of(r), false).contains(",0.6666666666666666,0.0,,,,,,,0.25,0.0,,\n"),
                ReportTables.csv(List.of(r), false));
    }

    @Test
    void raggedOrMismatchedMatricesAreBadInput() throws IOException {
        double[][] three = {{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, 0.5, 1}};
        FakeRuns.write(tmp.resolve("a"), "finetune", 0, three, 0.6, 0.0, 0.0, 1);
        FakeRuns.write(tmp.resolve("b"), "finetune", 1, new double[][] {{0, 0, 0}, {1, 0}, {0.5, 1, 0},
            {0.5, 0.5, 1}}, 0.6, 0.0, 0.0, 1);
        ConfigException e = assertThrows(ConfigException.class,
                () -> MetricTable.aggregate(RunCollector.collect(tmp)));
        assertTrue(e.getMessage().startsWith(tmp.resolve("b").resolve("summary.json")
                + ": evaluations.class-incremental.accuracy_matrix: row 1"), e.getMessage());
    }

    @Test
    void corruptSummaryIsBadInput() throws IOException {
        Files.createDirectories(tmp.resolve("r"));
        Files.writeString(tmp.resolve("r/config.yaml"), "run:\n  seed: 0\n");
        Files.writeString(tmp.resolve("r/summary.json"), "{\"finished\": tru");
        ConfigException e = assertThrows(ConfigException.class, () -> RunCollector.collect(tmp));
        assertTrue(e.getMessage().startsWith("report: " + tmp.resolve("r/summary.json") + ": not valid JSON"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
