package org.cllab.runs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cllab.runs.cli.ClRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, acceptance 1 (second half): a tiny reproduction (2 seeds of a few-second run) is run by {@code cl
 * reproduce}; a copy whose references are the measured means passes {@code --check}; a copy with one deliberately
 * wrong reference fails it, naming exactly that figure; a copy asking for a seed that was not run fails as missing.
 */
class ReproduceCheckTest {
    @TempDir
    Path tmp;

    private static final String FILE = """
            title: tiny check fixture
            expected_wall_minutes: 1
            source: "measured by this test"
            tolerance: %s
            runs:
              - {name: fine, config: base.yaml, seeds: %s}
            figures:
              - {learner: fine, mode: class-incremental, metric: acc, reference: %s}
              - {learner: fine, mode: task-incremental, metric: acc, reference: %s}
            """;

    private Path write(String name, String tol, String seeds, String ref1, String ref2) throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), ReproductionFileTest.BASE);
        Path f = tmp.resolve(name);
        Files.writeString(f, String.format(Locale.ROOT, FILE, tol, seeds, ref1, ref2));
        return f;
    }

    @Test
    void wrongReferenceFailsCheckNamingThatFigure() throws Exception {
        Path out = tmp.resolve("out");
        Path first = write("first.yaml", "1.0", "[0, 1]", "0", "0");
        ClRun.Result run = ClRun.run("reproduce", first.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("| fine | class-incremental | ACC | 2 (0,1) |"), run.out());
        // the measured means, from the CSV the command wrote
        List<String> csv = Files.readAllLines(out.resolve("reproduction.csv"));
        assertEquals(3, csv.size(), csv.toString());
        double cil = Double.parseDouble(csv.get(1).split(",")[6]);
        double til = Double.parseDouble(csv.get(2).split(",")[6]);
        assertTrue(cil > 0 && cil < 1 && til > cil, cil + " " + til);
        String c = String.format(Locale.ROOT, "%.6f", cil);
        String t = String.format(Locale.ROOT, "%.6f", til);

        Path right = write("right.yaml", "0.001", "[0, 1]", c, t);
        ClRun.Result ok = ClRun.run("reproduce", right.toString(), "--out", out.toString(), "--check");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.err().contains("(2 finished before"), "nothing re-run: " + ok.err());
        assertTrue(ok.err().contains("all 2 figures within tolerance"), ok.err());

        Path wrong = write("wrong.yaml", "0.001", "[0, 1]", c,
                String.format(Locale.ROOT, "%.6f", til - 0.3));
        ClRun.Result bad = ClRun.run("reproduce", wrong.toString(), "--out", out.toString(), "--check");
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.err().contains("1 of 2 figure(s) not within tolerance: fine task-incremental acc (ours "),
                bad.err());
        assertFalse(bad.err().contains("fine class-incremental acc"), bad.err());
        assertTrue(bad.out().contains("| outside |"), bad.out());

        Path more = write("more.yaml", "0.001", "[0, 1, 2]", c, t);
        ClRun.Result missing = ClRun.run("reproduce", more.toString(), "--out", out.toString(), "--check",
                "--no-run");
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains("2 of 2 figure(s) not within tolerance"), missing.err());
        assertTrue(missing.err().contains("0 of 3 runs finished"), missing.err());
    }
}
