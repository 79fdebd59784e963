package org.cllab.runs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTablesTest {
    private static MetricTable.Row row(String scenario, String learner, double acc, double bwt, double forgetting) {
        return new MetricTable.Row(scenario, "class-incremental", learner, 2, List.of(0L, 1L),
                Map.of("acc", new double[] {acc, 0.004}, "bwt", new double[] {bwt, 0.01}, "forgetting",
                        new double[] {forgetting, 0.02}), 3.0, new double[][] {{acc}}, new double[][] {{0}},
                new double[] {acc}, new double[] {0});
    }

    @Test
    void latexEscapesEverySpecialCharacter() {
        assertEquals("a\\_b\\&c\\%d\\#e\\$f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}k",
                ReportTables.latexEscape("a_b&c%d#e$f{g}h~i^j\\k"));
        assertEquals("plain-name 5x2", ReportTables.latexEscape("plain-name 5x2"));
    }

    @Test
    void latexIsBooktabsWithBestNonReferenceInBold() {
        List<MetricTable.Row> rows = List.of(
                row("s_1", "finetune", 0.2, -0.7, 0.7),
                row("s_1", "joint", 0.99, 0.01, 0.0),          // best everywhere, but a reference: never bold
                row("s_1", "ewc", 0.951, -0.1, 0.1),
                row("s_1", "my_er", 0.9514, -0.3, 0.3),        // prints 0.951 too: tied, bold as well
                row("t&2", "finetune", 0.5, -0.2, 0.2));       // alone in its table: nothing bold
        String tex = ReportTables.latex(rows);
        assertEquals(2, count(tex, "\\toprule"));
        assertEquals(2, count(tex, "\\midrule"));
        assertEquals(2, count(tex, "\\bottomrule"));
        assertEquals(2, count(tex, "\\begin{table}"));
        assertEquals(2, count(tex, "\\end{table}"));
        assertTrue(tex.contains("\\caption{s\\_1, class-incremental:"), tex);
        assertTrue(tex.contains("\\caption{t\\&2, class-incremental:"), tex);
        assertTrue(tex.contains("\\label{tab:cllab:s-1:class-incremental}"), tex);
        assertTrue(tex.contains("    joint & 2 & $0.990 \\pm 0.004$ & $0.010 \\pm 0.010$ & $0.000 \\pm 0.020$ \\\\\n"),
                tex);
        assertTrue(tex.contains("    ewc & 2 & $\\mathbf{0.951 \\pm 0.004}$ & $\\mathbf{-0.100 \\pm 0.010}$ & "
                + "$\\mathbf{0.100 \\pm 0.020}$ \\\\\n"), tex);
        assertTrue(tex.contains("    my\\_er & 2 & $\\mathbf{0.951 \\pm 0.004}$ & $-0.300 \\pm 0.010$ & "
                + "$0.300 \\pm 0.020$ \\\\\n"), tex);
        assertTrue(tex.contains("    finetune & 2 & $0.500 \\pm 0.004$ & $-0.200 \\pm 0.010$ & $0.200 \\pm 0.020$"),
                tex);
        // every row has as many cells as the header
        for (String line : tex.lines().filter(l -> l.endsWith("\\\\")).toList()) {
            assertEquals(4, count(line, " & "), line);
        }
        assertEquals(count(tex, "{"), count(tex, "}") - count(tex, "\\}") + count(tex, "\\{"), "balanced braces");
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        assertEquals("plain", ReportTables.csvField("plain"));
        assertEquals("\"a,b\"", ReportTables.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ReportTables.csvField("say \"hi\""));
        assertEquals("\"two\nlines\"", ReportTables.csvField("two\nlines"));
        assertEquals("\" padded\"", ReportTables.csvField(" padded"));
        String csv = ReportTables.csv(List.of(row("split, odd \"name\"", "er", 0.5, -0.1, 0.1)), false);
        List<String> fields = parseCsvLine(csv.lines().toList().get(1));
        assertEquals(List.of("split, odd \"name\"", "class-incremental", "er", "2", "0;1", "0.5", "0.004", "", "",
                "-0.1", "0.01", "", "", "0.1", "0.02", "", ""), fields);
        assertEquals(fields.size(), parseCsvLine(csv.lines().toList().get(0)).size());
    }

    @Test
    void markdownKeepsTheWallColumnOnlyWhenAsked() {
        List<MetricTable.Row> rows = List.of(row("s", "er", 0.5, -0.1, 0.1));
        assertTrue(ReportTables.markdown(rows, true).contains("| er | 2 (0,1) | 0.5000 ± 0.0040 | -0.1000 ± 0.0100 "
                + "| 0.1000 ± 0.0200 | 3.0 |\n"));
        assertTrue(ReportTables.markdown(rows, false).contains("| er | 2 (0,1) | 0.5000 ± 0.0040 | -0.1000 ± 0.0100 "
                + "| 0.1000 ± 0.0200 |\n"));
        assertTrue(!ReportTables.markdown(rows, false).contains("wall"));
        assertTrue(!ReportTables.csv(rows, false).contains("wall"));
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }

    /** A minimal RFC 4180 reader for one line. */
    private static List<String> parseCsvLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
