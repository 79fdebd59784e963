package org.cllab.runs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code results.tex} and the plots compile with {@code pdflatex} (Debian {@code texlive-latex-base} and
 * {@code texlive-latex-recommended} for booktabs; {@code .ci/run} installs them). Slow tier: it starts TeX.
 */
@Tag("slow")
class LatexCompileTest {
    @TempDir
    Path tmp;

    @Test
    void reportTablesAndPlotsCompileWithPdflatex() throws Exception {
        Path runs = tmp.resolve("runs");
        FakeRuns.threeFinetuneOneJoint(runs, 0);
        // a learner name full of LaTeX specials must come out as text, not as TeX
        FakeRuns.write(runs.resolve("odd"), "finetune", 9, new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0},
            {0, 0, 1}}, 1.0 / 3, -1.0, 1.0, 1);
        Path rep = tmp.resolve("rep");
        Reports.write(runs, rep);
        String tex = Files.readString(rep.resolve("results.tex"));
        String odd = ReportTables.latex(List.of(new MetricTable.Row("a_b & c%", "class-incremental",
                "x#y$z{w}~^\\", 1, List.of(0L), Map.of("acc", new double[] {0.5, 0}, "bwt",
                new double[] {0.1, 0}, "forgetting", new double[] {0.2, 0}), 1, new double[][] {{0.5}},
                new double[][] {{0}}, new double[] {0.5}, new double[] {0})));
        Files.writeString(rep.resolve("odd.tex"), odd);
        Files.writeString(rep.resolve("main.tex"), "\\documentclass{article}\n\\usepackage{booktabs}\n"
                + "\\usepackage{graphicx}\n\\begin{document}\n\\input{results.tex}\n\\input{odd.tex}\n"
                + "\\begin{figure}\\centering\\includegraphics[width=\\linewidth]"
                + "{plots/split-mnist-3x2__class-incremental__acc.png}\\end{figure}\n\\end{document}\n");
        Process p = new ProcessBuilder("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex")
                .directory(rep.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("pdflatex.out").toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pdflatex finished");
        String log = Files.readString(rep.resolve("main.log"));
        assertEquals(0, p.exitValue(), log);
        assertFalse(log.lines().anyMatch(l -> l.startsWith("!")), log);
        assertTrue(Files.size(rep.resolve("main.pdf")) > 10_000);
        assertTrue(tex.contains("\\toprule"));
    }
}
