package org.cllab.runs.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.AtomicFiles;

/**
 * The tables of a reproduction: ours (mean ± sample std, 95 % bootstrap interval of the mean, the value of each
 * seed, number of seeds) beside the reference, its source and tolerance, and the status; as Markdown, CSV or LaTeX.
 * Also writes a results page's generated block and the reproduction's rows of {@code docs/REPRODUCTION.md}.
 */
public final class ReproductionTables {
    private ReproductionTables() {
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** ours - reference, signed; "–" without runs. */
    static String signed(Reproducer.FigureResult r) {
        return r.stats() == null ? "–" : String.format(Locale.ROOT, "%+.4f", r.stats().mean() - r.figure().reference());
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    /** "0.1234 ± 0.0012", or "–" without runs. */
    static String meanStd(Reproducer.FigureResult r) {
        return r.stats() == null ? "–" : f4(r.stats().mean()) + " ± " + f4(r.stats().std());
    }

    /** "[lo, hi]"; "–" with fewer than 2 seeds. */
    static String ci(Reproducer.FigureResult r) {
        return r.stats() == null || Double.isNaN(r.stats().lo()) ? "–"
                : "[" + f4(r.stats().lo()) + ", " + f4(r.stats().hi()) + "]";
    }

    static String status(Reproducer.FigureResult r) {
        return r.status().equals(Reproducer.MISSING) ? "missing (" + r.seeds().size() + " of " + r.expected()
                + " runs)" : r.status();
    }

    private static String seedsCell(Reproducer.FigureResult r) {
        return r.seeds().size() + (r.seeds().isEmpty() ? "" : " (" + String.join(",",
                r.seeds().stream().map(String::valueOf).toList()) + ")");
    }

    private static String perSeed(Reproducer.FigureResult r) {
        List<String> out = new ArrayList<>();
        for (double v : r.values()) {
            out.add(f4(v));
        }
        return out.isEmpty() ? "–" : String.join(" ", out);
    }

    private static Set<String> sources(Reproducer.Result res) {
        Set<String> s = new LinkedHashSet<>();
        res.figures().forEach(f -> s.add(f.figure().source()));
        return s;
    }

    /** The summary line above a table. */
    public static String headline(Reproducer.Result res) {
        return String.format(Locale.ROOT, "_Reproduction `%s` (%s): %d of %d runs finished, %.0f s of run wall time "
                        + "in all; %d of %d figures within tolerance._", res.reproduction().name(),
                res.reproduction().title(), res.finished(), res.runs(), res.runWallSeconds(),
                res.figures().stream().filter(f -> f.status().equals(Reproducer.OK)).count(), res.figures().size());
    }

    /** Markdown: one table per {@code table} heading, one row per figure. */
    public static String markdown(Reproducer.Result res) {
        StringBuilder b = new StringBuilder(headline(res)).append("\n");
        Set<String> sources = sources(res);
        boolean oneSource = sources.size() == 1;
        if (oneSource) {
            b.append("\nReference values: ").append(sources.iterator().next()).append(".\n");
        }
        b.append("\"±\" is the sample standard deviation over the seeds (n−1); the interval is the 95 % bootstrap "
                + "interval of the mean over seeds (docs/metrics.md); status `ok` = \\|ours − reference\\| ≤ "
                + "tolerance.\n");
        String table = null;
        for (Reproducer.FigureResult r : res.figures()) {
            if (table == null || !table.equals(r.figure().table())) {
                table = r.figure().table();
                b.append("\n");
                if (!table.isEmpty()) {
                    b.append("### ").append(table).append("\n\n");
                }
                b.append("| learner | mode | metric | seeds | ours (mean ± std) | 95 % CI | per seed | reference | "
                        + "ours − ref | tolerance | status |").append(oneSource ? "" : " source |").append("\n");
                b.append("|---|---|---|---|---|---|---|---|---|---|---|").append(oneSource ? "" : "---|")
                        .append("\n");
            }
            Reproduction.Figure f = r.figure();
            b.append("| ").append(cell(f.learner())).append(" | ").append(f.mode()).append(" | ")
                    .append(f.metric().equals("acc") ? "ACC" : f.metric().equals("bwt") ? "BWT" : f.metric())
                    .append(" | ").append(seedsCell(r)).append(" | ").append(meanStd(r)).append(" | ").append(ci(r))
                    .append(" | ").append(perSeed(r)).append(" | ").append(f4(f.reference())).append(" | ")
                    .append(signed(r)).append(" | ").append(f4(f.tolerance())).append(" | ")
                    .append(status(r)).append(" |");
            if (!oneSource) {
                b.append(" ").append(cell(f.source())).append(" |");
            }
            b.append("\n");
        }
        return b.toString();
    }

    /** CSV, one row per figure. */
    public static String csv(Reproducer.Result res) {
        StringBuilder b = new StringBuilder("table,learner,mode,metric,n,seeds,mean,std,ci_lo,ci_hi,reference,"
                + "deviation,tolerance,status,source\n");
        for (Reproducer.FigureResult r : res.figures()) {
            Reproduction.Figure f = r.figure();
            boolean s = r.stats() != null;
            b.append(String.join(",", csvCell(f.table()), csvCell(f.learner()), f.mode(), f.metric(),
                    Integer.toString(r.seeds().size()), csvCell(String.join(" ",
                            r.seeds().stream().map(String::valueOf).toList())),
                    s ? num(r.stats().mean()) : "", s ? num(r.stats().std()) : "", s ? num(r.stats().lo()) : "",
                    s ? num(r.stats().hi()) : "", num(f.reference()), s ? num(r.deviation()) : "",
                    num(f.tolerance()), r.status(), csvCell(f.source()))).append("\n");
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** LaTeX {@code tabular} (booktabs), one row per figure. */
    public static String tex(Reproducer.Result res) {
        StringBuilder b = new StringBuilder("% ").append(headline(res).replace("_", "")).append("\n");
        b.append("\\begin{tabular}{llllllllr}\n\\toprule\n");
        b.append("learner & mode & metric & $n$ & ours (mean $\\pm$ std) & 95\\,\\% CI & reference & tolerance & "
                + "status \\\\\n\\midrule\n");
        for (Reproducer.FigureResult r : res.figures()) {
            Reproduction.Figure f = r.figure();
            b.append(String.join(" & ", tex(f.learner()), tex(f.mode()), tex(f.metric()),
                    Integer.toString(r.seeds().size()), meanStd(r).replace("±", "$\\pm$").replace("–", "--"),
                    ci(r).replace("–", "--"), f4(f.reference()), f4(f.tolerance()), tex(status(r))))
                    .append(" \\\\\n");
        }
        return b.append("\\bottomrule\n\\end{tabular}\n").toString();
    }

    private static String tex(String s) {
        return s.replace("\\", "\\textbackslash{}").replace("_", "\\_").replace("%", "\\%").replace("&", "\\&")
                .replace("#", "\\#");
    }

    /**
     * Replaces the generated block of {@code page}: everything between {@code <!-- table:begin[ BLOCK] (} and
     * {@code <!-- table:end[ BLOCK] -->}.
     */
    public static void writePageBlock(Path page, String block, String generator, String content) throws IOException {
        if (!Files.isRegularFile(page)) {
            throw new ConfigException(page.toString(), "(file)", "results page not found");
        }
        String tag = block.isEmpty() ? "" : " " + block;
        String text = Files.readString(page);
        String replacement = "<!-- table:begin" + tag + " (generated by " + generator + "; do not edit) -->\n"
                + content + "\n<!-- table:end" + tag + " -->";
        Pattern p = Pattern.compile(Pattern.quote("<!-- table:begin" + tag + " (") + ".*?"
                + Pattern.quote("<!-- table:end" + tag + " -->"), Pattern.DOTALL);
        Matcher m = p.matcher(text);
        int n = 0;
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            n++;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        if (n != 1) {
            throw new ConfigException(page.toString(), "table:begin" + tag, "expected one generated table block, "
                    + "found " + n);
        }
        AtomicFiles.write(page, out.toString());
    }

    /** Heading and column header of {@code docs/REPRODUCTION.md}. */
    static final String REPRODUCTION_HEADER = """
            # Reproductions

            One row per reproduced figure: ours (mean ± std over the seeds, 95 % bootstrap interval of the mean), the
            reference value and its source, the tolerance, the status (`ok` = |ours − reference| ≤ tolerance), the
            command that reproduces it (add `--check` to fail on any figure outside its tolerance), the run wall time of
            the whole reproduction (sum of its runs' `wall_seconds`) and the machine it was measured on. Each block is
            written by `./cl reproduce NAME --write-docs`; do not edit by hand. The reproduction files are
            `runs/reproductions/NAME.yaml` (docs/user-guide.md, "Reproducing a results table").
            """;

    /** The block of one reproduction in {@code docs/REPRODUCTION.md}. */
    public static String reproductionRows(Reproducer.Result res, String machine) {
        String name = res.reproduction().name();
        StringBuilder b = new StringBuilder("## ").append(name).append(": ").append(res.reproduction().title())
                .append("\n\n");
        b.append("| figure | ours | 95 % CI | seeds | reference | source | tolerance | status | command | "
                + "wall time | machine |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        String wall = String.format(Locale.ROOT, "%.0f s (%d runs)", res.runWallSeconds(), res.finished());
        for (Reproducer.FigureResult r : res.figures()) {
            Reproduction.Figure f = r.figure();
            b.append("| ").append(cell(f.id())).append(" | ").append(meanStd(r)).append(" | ").append(ci(r))
                    .append(" | ").append(r.seeds().size()).append(" | ").append(f4(f.reference())).append(" | ")
                    .append(cell(f.source())).append(" | ").append(f4(f.tolerance())).append(" | ")
                    .append(status(r)).append(" | `./cl reproduce ").append(name).append("` | ").append(wall)
                    .append(" | ").append(cell(machine)).append(" |\n");
        }
        return b.toString();
    }

    /** Writes (or replaces) the block of {@code res} in {@code docs/REPRODUCTION.md}; blocks stay sorted by name. */
    public static void writeReproductionDoc(Path doc, Reproducer.Result res, String machine) throws IOException {
        String name = res.reproduction().name();
        java.util.TreeMap<String, String> blocks = new java.util.TreeMap<>();
        if (Files.exists(doc)) {
            Matcher m = Pattern.compile("<!-- reproduction:begin (\\S+) -->\n(.*?)<!-- reproduction:end \\1 -->",
                    Pattern.DOTALL).matcher(Files.readString(doc));
            while (m.find()) {
                blocks.put(m.group(1), m.group(2));
            }
        }
        blocks.put(name, reproductionRows(res, machine));
        StringBuilder b = new StringBuilder(REPRODUCTION_HEADER);
        blocks.forEach((k, v) -> b.append("\n<!-- reproduction:begin ").append(k).append(" -->\n").append(v)
                .append("<!-- reproduction:end ").append(k).append(" -->\n"));
        Files.createDirectories(doc.toAbsolutePath().getParent());
        AtomicFiles.write(doc, b.toString());
    }
}
