package org.cllab.runs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.report.MetricTable;
import org.cllab.runs.report.RunCollector;
import org.cllab.runs.report.RunRecord;
import org.cllab.runs.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cl report DIR}: mean ± std over seeds of every finished run under DIR, per scenario x mode x learner. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Aggregate the finished runs under DIR into a table (mean ± sample std over seeds of ACC, BWT, "
                + "forgetting) per scenario x mode x learner.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "directory searched recursively for finished runs")
    Path dir;

    @Option(names = "--format", description = "markdown (default) or csv")
    String format = "markdown";

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("report", dir.toString(), "is not a directory");
        }
        if (!format.equals("markdown") && !format.equals("csv")) {
            throw new ConfigException("--format", format, "unknown format (allowed: markdown, csv)");
        }
        List<RunRecord> runs = RunCollector.collect(dir);
        if (runs.isEmpty()) {
            throw new ConfigException("report", dir.toString(), "holds no finished run (summary.json)");
        }
        List<MetricTable.Row> rows = MetricTable.aggregate(runs);
        String text = format.equals("csv") ? MetricTable.csv(rows) : MetricTable.markdown(rows);
        if (out != null) {
            AtomicFiles.write(out, text);
            System.err.println("report of " + runs.size() + " runs written to " + out);
        } else {
            System.out.print(text);
        }
        return 0;
    }
}
