package org.cllab.runs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.report.MetricTable;
import org.cllab.runs.report.ReportTables;
import org.cllab.runs.report.Reports;
import org.cllab.runs.report.RunCollector;
import org.cllab.runs.report.RunRecord;
import org.cllab.runs.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cl report DIR}: mean ± std over seeds of every finished run under DIR, per scenario x mode x learner.
 *
 * <ul>
 *   <li>{@code cl report DIR} or {@code --out OUTDIR} / {@code --out-dir OUTDIR}: the full report directory
 *       (tables in Markdown, CSV, LaTeX, PNG plots, {@code index.md}; see {@link Reports}), by default
 *       {@code DIR/report}; the Markdown table is also printed.</li>
 *   <li>{@code --out FILE.md|.csv|.tex}: one table file, format from the extension; also one (Markdown unless
 *       {@code --format}) table when {@code --format} is given or FILE is an existing regular file, as in
 *       {@code scripts/baselines.sh}, which passes a {@code mktemp} file.</li>
 *   <li>{@code --format markdown|csv|latex} without {@code --out}: one table on standard output.</li>
 * </ul>
 * Single Markdown and CSV tables keep their wall-seconds column; the report directory moves wall time to
 * {@code timing.md}/{@code timing.csv} so that its result files depend on the runs alone.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Aggregate the finished runs under DIR (mean ± sample std over seeds of ACC, BWT, forgetting "
                + "per scenario x mode x learner).",
            "Without options: a report directory DIR/report (results.md/.csv/.tex, timing.md, acc_curves.csv, "
                + "matrices.csv, runs.csv, plots/*.png, index.md).",
            "--out FILE.md|.csv|.tex writes one table; --out OTHER or --out-dir OTHER writes the report directory "
                + "there; --format FMT alone prints one table."})
public final class ReportCommand implements Callable<Integer> {
    private static final Map<String, String> EXTENSIONS = Map.of(".md", "markdown", ".markdown", "markdown",
            ".csv", "csv", ".tex", "latex");

    @Parameters(index = "0", paramLabel = "DIR", description = "directory searched recursively for finished runs")
    Path dir;

    @Option(names = "--format", paramLabel = "FMT",
            description = "one table in this format: markdown, csv or latex (to standard output, or to --out FILE)")
    String format;

    @Option(names = "--out", paramLabel = "PATH",
            description = "one table to FILE when it ends in .md, .csv or .tex, when --format is given, or when "
                    + "FILE is an existing file; otherwise PATH is the report directory")
    Path out;

    @Option(names = "--out-dir", paramLabel = "OUTDIR",
            description = "report directory (default DIR/report); replaced as a whole")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("report", dir.toString(), "is not a directory");
        }
        if (format != null && !List.of("markdown", "csv", "latex").contains(format)) {
            throw new ConfigException("--format", format, "unknown format (allowed: markdown, csv, latex)");
        }
        if (out != null && outDir != null) {
            throw new ConfigException("report", "--out", "give either --out or --out-dir, not both");
        }
        String fileFormat = out == null ? null : EXTENSIONS.get(extension(out));
        if (format != null && fileFormat != null && !format.equals(fileFormat)) {
            throw new ConfigException("--out", out.toString(), "extension says " + fileFormat + " but --format is "
                    + format);
        }
        if (format != null && outDir != null) {
            throw new ConfigException("--format", format, "a report directory holds every format; drop --format or "
                    + "use --out FILE");
        }
        if (format != null || fileFormat != null || (out != null && Files.isRegularFile(out))) {
            return singleTable(format != null ? format : fileFormat != null ? fileFormat : "markdown");
        }
        Path target = outDir != null ? outDir : out != null ? out : dir.resolve("report");
        List<RunRecord> runs = RunCollector.collect(dir);
        if (runs.isEmpty()) {
            throw new ConfigException("report", dir.toString(), "holds no finished run (summary.json)");
        }
        List<Path> written = Reports.write(dir, runs, target);
        System.out.print(ReportTables.markdown(MetricTable.aggregate(runs), true));
        System.err.println("report of " + runs.size() + " runs: " + written.size() + " files in " + target
                + " (open " + target.resolve(Reports.INDEX) + ")");
        return 0;
    }

    private int singleTable(String fmt) throws Exception {
        List<RunRecord> runs = RunCollector.collect(dir);
        if (runs.isEmpty()) {
            throw new ConfigException("report", dir.toString(), "holds no finished run (summary.json)");
        }
        List<MetricTable.Row> rows = MetricTable.aggregate(runs);
        String text = switch (fmt) {
            case "csv" -> ReportTables.csv(rows, true);
            case "latex" -> ReportTables.latex(rows);
            default -> ReportTables.markdown(rows, true);
        };
        if (out != null) {
            AtomicFiles.write(out, text);
            System.err.println("report of " + runs.size() + " runs written to " + out);
        } else {
            System.out.print(text);
        }
        return 0;
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }
}
