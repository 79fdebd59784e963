package org.cllab.runs.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cllab.core.spi.LearnerType;
import org.cllab.runs.config.ConfigSchema;

/**
 * Text renderings of aggregated rows: Markdown, CSV (RFC 4180 quoting) and LaTeX (booktabs). Every function is pure
 * and locale-independent, so the same rows always give the same bytes.
 *
 * <p>Numbers: Markdown shows 4 decimals, LaTeX 3, CSV the shortest {@code double} repr that round-trips. A metric a
 * run does not have (BWT of a one-task stream) is {@code n/a} in Markdown and LaTeX and empty in CSV.
 */
public final class ReportTables {

    private static final Map<String, String> LATEX_HEADERS = Map.of("acc", "ACC $\\uparrow$", "bwt",
            "BWT $\\uparrow$", "forgetting", "Forgetting $\\downarrow$");

    private ReportTables() {
    }

    /** Rows grouped by scenario x mode, in row order. */
    static Map<String, List<MetricTable.Row>> byScenarioMode(List<MetricTable.Row> rows) {
        Map<String, List<MetricTable.Row>> g = new LinkedHashMap<>();
        for (MetricTable.Row r : rows) {
            g.computeIfAbsent(r.scenario() + " — " + r.mode(), k -> new ArrayList<>()).add(r);
        }
        return g;
    }

    /**
     * One Markdown table per scenario x mode.
     *
     * @param timing whether to add the mean wall seconds per run (run-timing dependent)
     */
    public static String markdown(List<MetricTable.Row> rows, boolean timing) {
        StringBuilder b = new StringBuilder();
        byScenarioMode(rows).forEach((group, rs) -> {
            b.append("\n### ").append(group).append("\n\n");
            b.append(markdownGroup(rs, timing));
        });
        return b.toString();
    }

    /** The Markdown table of one scenario x mode (header and rows, no heading). */
    static String markdownGroup(List<MetricTable.Row> rs, boolean timing) {
        StringBuilder b = new StringBuilder("| learner | runs (seeds) | ACC | BWT | forgetting |");
        b.append(timing ? " wall s / run |\n" : "\n");
        b.append(timing ? "|---|---|---|---|---|---|\n" : "|---|---|---|---|---|\n");
        for (MetricTable.Row r : rs) {
            b.append("| ").append(r.learner().replace("|", "\\|")).append(" | ").append(r.runs()).append(" (")
                    .append(seeds(r.seeds(), ",")).append(") |");
            for (String m : MetricTable.METRICS) {
                double[] v = r.meanStd().get(m);
                b.append(' ').append(Double.isNaN(v[0]) ? "n/a"
                        : String.format(Locale.ROOT, "%.4f ± %.4f", v[0], v[1])
                        + (v.length > 3 && !Double.isNaN(v[2])
                        ? String.format(Locale.ROOT, " [%.4f, %.4f]", v[2], v[3]) : "")).append(" |");
            }
            if (timing) {
                b.append(String.format(Locale.ROOT, " %.1f |", r.meanWallSeconds()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * One CSV row per scenario x mode x learner: {@code scenario,mode,learner,runs,seeds,acc_mean,acc_std,acc_ci_lo,
     * acc_ci_hi,...} (the 95 % bootstrap interval of the mean over seeds, empty for one run)
     * ({@code seeds} separated by {@code ;}).
     *
     * @param timing whether to add a {@code wall_seconds} column
     */
    public static String csv(List<MetricTable.Row> rows, boolean timing) {
        StringBuilder b = new StringBuilder("scenario,mode,learner,runs,seeds");
        for (String m : MetricTable.METRICS) {
            b.append(',').append(m).append("_mean,").append(m).append("_std,").append(m).append("_ci_lo,").append(m)
                    .append("_ci_hi");
        }
        b.append(timing ? ",wall_seconds\n" : "\n");
        for (MetricTable.Row r : rows) {
            b.append(csvField(r.scenario())).append(',').append(csvField(r.mode())).append(',')
                    .append(csvField(r.learner())).append(',').append(r.runs()).append(',')
                    .append(seeds(r.seeds(), ";"));
            for (String m : MetricTable.METRICS) {
                double[] v = r.meanStd().get(m);
                b.append(',').append(csvNumber(v[0])).append(',').append(csvNumber(Double.isNaN(v[0]) ? v[0] : v[1]))
                        .append(',').append(csvNumber(v.length > 3 ? v[2] : Double.NaN)).append(',')
                        .append(csvNumber(v.length > 3 ? v[3] : Double.NaN));
            }
            if (timing) {
                b.append(',').append(csvNumber(r.meanWallSeconds()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** ACC after each task, long format: {@code scenario,mode,learner,runs,task,acc_mean,acc_std}. */
    public static String accCurvesCsv(List<MetricTable.Row> rows) {
        StringBuilder b = new StringBuilder("scenario,mode,learner,runs,task,acc_mean,acc_std\n");
        for (MetricTable.Row r : rows) {
            for (int k = 0; k < r.tasks(); k++) {
                b.append(csvField(r.scenario())).append(',').append(csvField(r.mode())).append(',')
                        .append(csvField(r.learner())).append(',').append(r.runs()).append(',').append(k + 1)
                        .append(',').append(csvNumber(r.accAfterMean()[k])).append(',')
                        .append(csvNumber(r.accAfterStd()[k])).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Mean accuracy matrices, long format: {@code scenario,mode,learner,runs,after_task,on_task,acc_mean,acc_std}
     * (tasks 1-based; {@code after_task} k = after training the k-th task).
     */
    public static String matricesCsv(List<MetricTable.Row> rows) {
        StringBuilder b = new StringBuilder("scenario,mode,learner,runs,after_task,on_task,acc_mean,acc_std\n");
        for (MetricTable.Row r : rows) {
            for (int k = 0; k < r.tasks(); k++) {
                for (int j = 0; j < r.tasks(); j++) {
                    b.append(csvField(r.scenario())).append(',').append(csvField(r.mode())).append(',')
                            .append(csvField(r.learner())).append(',').append(r.runs()).append(',').append(k + 1)
                            .append(',').append(j + 1).append(',').append(csvNumber(r.matrixMean()[k][j]))
                            .append(',').append(csvNumber(r.matrixStd()[k][j])).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** Wall and training seconds per scenario x learner (Markdown). */
    public static String timingMarkdown(List<MetricTable.TimingRow> rows) {
        StringBuilder b = new StringBuilder("# Run times\n\nWall and training seconds per run, mean ± sample std over"
                + " seeds. They depend on the machine and its load; the result tables leave them out.\n\n");
        b.append("| scenario | learner | runs (seeds) | wall s | train s |\n|---|---|---|---|---|\n");
        for (MetricTable.TimingRow r : rows) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.learner().replace("|", "\\|")).append(" | ")
                    .append(r.runs()).append(" (").append(seeds(r.seeds(), ",")).append(") | ")
                    .append(String.format(Locale.ROOT, "%.1f ± %.1f | %.1f ± %.1f |%n", r.wall()[0], r.wall()[1],
                            r.train()[0], r.train()[1]));
        }
        return b.toString();
    }

    /** Wall and training seconds per scenario x learner (CSV). */
    public static String timingCsv(List<MetricTable.TimingRow> rows) {
        StringBuilder b = new StringBuilder(
                "scenario,learner,runs,seeds,wall_seconds_mean,wall_seconds_std,train_seconds_mean,"
                        + "train_seconds_std\n");
        for (MetricTable.TimingRow r : rows) {
            b.append(csvField(r.scenario())).append(',').append(csvField(r.learner())).append(',').append(r.runs())
                    .append(',').append(seeds(r.seeds(), ";")).append(',').append(csvNumber(r.wall()[0]))
                    .append(',').append(csvNumber(r.wall()[1])).append(',').append(csvNumber(r.train()[0]))
                    .append(',').append(csvNumber(r.train()[1])).append('\n');
        }
        return b.toString();
    }

    /**
     * A LaTeX fragment with one booktabs {@code table} per scenario x mode, for {@code \input} into a document that
     * loads {@code booktabs}. Cells are {@code $mean \pm std$} with 3 decimals. Bold: in each table and metric
     * column, the best mean as printed (highest ACC and BWT, lowest forgetting) among the learners that are not
     * reference learners ({@link LearnerType#reference()}); all tied entries are bold; nothing is bold when fewer than two
     * learners compete.
     */
    public static String latex(List<MetricTable.Row> rows) {
        StringBuilder b = new StringBuilder("% CL-Lab report tables (cl report). Needs \\usepackage{booktabs}.\n"
                + "% Cells: mean $\\pm$ sample std over seeds. Bold: best printed mean per column among non-reference"
                + " learners\n% (ACC, BWT: highest; forgetting: lowest; joint is an upper bound and never bold).\n");
        byScenarioMode(rows).forEach((group, rs) -> {
            MetricTable.Row first = rs.get(0);
            b.append("\n\\begin{table}[htbp]\n  \\centering\n  \\caption{").append(latexEscape(first.scenario()))
                    .append(", ").append(latexEscape(first.mode()))
                    .append(": mean $\\pm$ sample standard deviation over seeds.}\n  \\label{tab:cllab:")
                    .append(labelSafe(first.scenario())).append(':').append(labelSafe(first.mode())).append("}\n");
            b.append("  \\begin{tabular}{lr");
            b.append("c".repeat(MetricTable.METRICS.size())).append("}\n    \\toprule\n    Learner & Runs");
            for (String m : MetricTable.METRICS) {
                b.append(" & ").append(LATEX_HEADERS.get(m));
            }
            b.append(" \\\\\n    \\midrule\n");
            Map<String, String> best = new LinkedHashMap<>();
            for (String m : MetricTable.METRICS) {
                best.put(m, bestPrinted(rs, m));
            }
            for (MetricTable.Row r : rs) {
                b.append("    ").append(latexEscape(r.learner())).append(" & ").append(r.runs());
                for (String m : MetricTable.METRICS) {
                    double[] v = r.meanStd().get(m);
                    b.append(" & ");
                    if (Double.isNaN(v[0])) {
                        b.append("n/a");
                        continue;
                    }
                    String mean = latexNumber(v[0]);
                    String cell = mean + " \\pm " + latexNumber(v[1]);
                    boolean bold = mean.equals(best.get(m)) && !isReference(r);
                    b.append(bold ? "$\\mathbf{" + cell + "}$" : "$" + cell + "$");
                }
                b.append(" \\\\\n");
            }
            b.append("    \\bottomrule\n  \\end{tabular}\n\\end{table}\n");
        });
        return b.toString();
    }

    /** The best mean of metric {@code m} as printed, or null when fewer than two non-reference learners have it. */
    private static String bestPrinted(List<MetricTable.Row> rs, String m) {
        boolean lowerIsBetter = m.equals("forgetting");
        List<Double> printed = rs.stream().filter(r -> !isReference(r))
                .map(r -> r.meanStd().get(m)[0]).filter(v -> !Double.isNaN(v))
                .map(v -> Double.parseDouble(latexNumber(v))).toList();
        if (printed.size() < 2) {
            return null;
        }
        double best = lowerIsBetter ? printed.stream().mapToDouble(d -> d).min().orElseThrow()
                : printed.stream().mapToDouble(d -> d).max().orElseThrow();
        return latexNumber(best);
    }

    static boolean isReference(MetricTable.Row r) {
        return ConfigSchema.standard().plugins().learner(RunCollector.learnerType(r.learner()))
                .map(LearnerType::reference).orElse(false);
    }

    private static String latexNumber(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.equals("-0.000") ? "0.000" : s;
    }

    /** Escapes LaTeX's special characters in text mode ({@code \ & % $ # _ { } ~ ^}). */
    public static String latexEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\textbackslash{}");
                case '&', '%', '$', '#', '_', '{', '}' -> b.append('\\').append(c);
                case '~' -> b.append("\\textasciitilde{}");
                case '^' -> b.append("\\textasciicircum{}");
                case '<' -> b.append("\\textless{}");
                case '>' -> b.append("\\textgreater{}");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Characters safe in a {@code \label}: letters, digits, {@code -}, {@code .}; anything else becomes {@code -}. */
    static String labelSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9.-]", "-");
    }

    /** RFC 4180: quoted when it holds a comma, quote, CR or LF, or starts/ends with a space; quotes doubled. */
    public static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.startsWith(" ")
                || s.endsWith(" ")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static String csvNumber(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String seeds(List<Long> seeds, String sep) {
        return String.join(sep, seeds.stream().map(String::valueOf).toList());
    }
}
