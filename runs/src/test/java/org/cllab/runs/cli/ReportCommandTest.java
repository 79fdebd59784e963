package org.cllab.runs.cli;

import static org.cllab.runs.cli.ClRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cllab.runs.report.MetricTable;
import org.cllab.runs.report.RunCollector;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    /** Two real tiny runs (2 tasks, 100 training samples per task), reused by the tests of this class. */
    private Path twoTinyRuns() throws IOException {
        Path cfg = tmp.resolve("tiny.yaml");
        Files.writeString(cfg, "scenario:\n  train_limit: 100\n  tasks: 2\nlearner:\n  hidden: [8]\n  epochs: 1\n"
                + "evaluation:\n  modes: [class-incremental, task-incremental]\nrun:\n  progress: never\n");
        Path runs = tmp.resolve("runs");
        for (String seed : List.of("0", "1")) {
            ClRun.Result r = run("run", cfg.toString(), "--out", runs.resolve("s" + seed).toString(), "--set",
                    "run.seed=" + seed);
            assertEquals(0, r.code(), r.err());
        }
        return runs;
    }

    @Test
    void reportOfRealRunsInEveryForm() throws IOException {
        Path runs = twoTinyRuns();

        // default: a report directory DIR/report, the table on standard output
        ClRun.Result full = run("report", runs.toString());
        assertEquals(0, full.code(), full.err());
        assertTrue(full.out().contains("| finetune | 2 (0,1) |"), full.out());
        Path rep = runs.resolve("report");
        for (String f : List.of("index.md", "results.md", "results.csv", "results.tex", "timing.md",
                "plots/split-mnist-2x2__class-incremental__acc.png",
                "plots/split-mnist-2x2__task-incremental__finetune__matrix.png")) {
            assertTrue(Files.isRegularFile(rep.resolve(f)), f);
        }
        // a second report over the same runs (the report directory inside DIR is not a run) is identical
        byte[] md = Files.readAllBytes(rep.resolve("results.md"));
        byte[] png = Files.readAllBytes(rep.resolve("plots/split-mnist-2x2__class-incremental__acc.png"));
        assertEquals(0, run("report", runs.toString(), "--out-dir", rep.toString()).code());
        assertEquals(new String(md, StandardCharsets.UTF_8), Files.readString(rep.resolve("results.md")));
        assertTrue(java.util.Arrays.equals(png,
                Files.readAllBytes(rep.resolve("plots/split-mnist-2x2__class-incremental__acc.png"))));

        // the last point of the ACC curve is the run's own ACC from summary.json (computed by ClMetrics)
        double acc0 = 0;
        double acc1 = 0;
        for (String s : List.of("s0", "s1")) {
            JsonNode summary = Json.MAPPER.readTree(runs.resolve(s).resolve("summary.json").toFile());
            double a = summary.path("evaluations").path("class-incremental").path("acc").asDouble();
            if (s.equals("s0")) {
                acc0 = a;
            } else {
                acc1 = a;
            }
        }
        MetricTable.Row ci = MetricTable.aggregate(RunCollector.collect(runs)).get(0);
        assertEquals("class-incremental", ci.mode());
        assertEquals((acc0 + acc1) / 2, ci.accAfterMean()[1], 1e-12);
        assertEquals((acc0 + acc1) / 2, ci.meanStd().get("acc")[0], 1e-12);

        // one table per file, format from the extension (the usage of scripts/baselines.sh)
        Path tableMd = tmp.resolve("tables/t.md");
        ClRun.Result single = run("report", runs.toString(), "--out", tableMd.toString());
        assertEquals(0, single.code(), single.err());
        String text = Files.readString(tableMd);
        assertTrue(text.startsWith("\n### split-mnist 2x2 — class-incremental\n\n"
                + "| learner | runs (seeds) | ACC | BWT | forgetting | wall s / run |\n"), text);
        // scripts/baselines.sh passes a mktemp file (exists, no extension): one Markdown table
        Path mktemp = Files.createTempFile(tmp, "tmp.", "");
        assertEquals(0, run("report", runs.toString(), "--out", mktemp.toString()).code());
        assertEquals(text, Files.readString(mktemp));
        assertEquals(0, run("report", runs.toString(), "--out", tmp.resolve("t.tex").toString()).code());
        assertTrue(Files.readString(tmp.resolve("t.tex")).contains("\\toprule"));
        assertEquals(0, run("report", runs.toString(), "--out", tmp.resolve("t.csv").toString()).code());
        assertTrue(Files.readString(tmp.resolve("t.csv")).startsWith("scenario,mode,learner,runs,seeds,acc_mean"));
        ClRun.Result csvOut = run("report", runs.toString(), "--format", "csv");
        assertEquals(Files.readString(tmp.resolve("t.csv")), csvOut.out());
        assertEquals(0, run("report", runs.toString(), "--format", "latex", "--out",
                tmp.resolve("t.txt").toString()).code());
        assertTrue(Files.readString(tmp.resolve("t.txt")).contains("\\bottomrule"));

        // --out without a table extension is a report directory
        assertEquals(0, run("report", runs.toString(), "--out", tmp.resolve("paper-report").toString()).code());
        assertTrue(Files.isRegularFile(tmp.resolve("paper-report/index.md")));

        // contradictions are bad input
        ClRun.Result clash = run("report", runs.toString(), "--format", "csv", "--out", tmp.resolve("x.md").toString());
        assertEquals(2, clash.code());
        assertTrue(clash.err().startsWith("--out: " + tmp.resolve("x.md") + ": extension says markdown"), clash.err());
        assertFalse(Files.exists(tmp.resolve("x.md")));
        assertEquals(2, run("report", runs.toString(), "--out", "a.md", "--out-dir", "b").code());
        assertEquals(2, run("report", runs.toString(), "--format", "html").code());
    }

    @Test
    void emptyDirectoryIsOneLineExitTwo() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (String[] args : new String[][] {{"report", empty.toString()},
            {"report", empty.toString(), "--out", tmp.resolve("t.md").toString()}}) {
            ClRun.Result r = run(args);
            assertEquals(2, r.code());
            assertEquals("report: " + empty + ": holds no finished run (summary.json)", r.err().strip());
            assertFalse(Files.exists(empty.resolve("report")));
            assertFalse(Files.exists(tmp.resolve("t.md")));
        }
        ClRun.Result missing = run("report", tmp.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count());
    }
}
