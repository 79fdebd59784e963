package org.cllab.runs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.AtomicFiles;

/**
 * A full report directory over every finished run under a directory:
 *
 * <pre>
 * OUTDIR/index.md          overview: every table with its plots, links to the other files
 *        results.md        mean ± std [95 % bootstrap interval] of ACC, BWT, forgetting per scenario x mode x
 *                          learner (Markdown)
 *        results.csv       the same numbers at full precision (CSV)
 *        results.tex       one booktabs table per scenario x mode (LaTeX fragment for \input)
 *        acc_curves.csv    ACC after each task, mean and std (the data of the line plots)
 *        matrices.csv      mean and std accuracy matrices (the data of the heatmaps)
 *        runs.csv          the runs aggregated: directory relative to DIR, scenario, learner, seed, config hash
 *        timing.md/.csv    wall and training seconds per scenario x learner (machine-dependent)
 *        few_shot_probe.md/.csv  the few-shot probe curves, when runs have one (issue 12)
 *        plots/SCENARIO__MODE__LEARNER__matrix.png, plots/SCENARIO__MODE__acc.png, plots/SCENARIO__probe.png
 * </pre>
 *
 * <p>Every file except {@code timing.*} is a function of the finished runs alone (sorted; no timestamps, no absolute
 * paths, no wall time), so an interrupted and resumed sweep gives the same bytes as an uninterrupted one. The
 * directory is built beside OUTDIR and renamed into place, so a killed report leaves either the previous report or
 * the new one, never a mix or a half-written file.
 */
public final class Reports {
    /** Marker that makes a directory recognisable as a report this class may replace. */
    public static final String INDEX = "index.md";

    private Reports() {
    }

    /**
     * Writes the report of every finished run under {@code runsDir} into {@code outDir}.
     *
     * @param outDir absent, empty, or an earlier report (holds {@value #INDEX}); it is replaced as a whole
     * @return the files written, as paths under {@code outDir}, sorted; empty when {@code runsDir} holds no finished
     *     run, and then nothing is written (a sweep whose runs all failed keeps its earlier report)
     * @throws ConfigException if {@code runsDir} is not a directory, a run's summary is malformed, or {@code outDir}
     *     holds something other than a report
     */
    public static List<Path> write(Path runsDir, Path outDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            throw new ConfigException("report", runsDir.toString(), "is not a directory");
        }
        return write(runsDir, RunCollector.collect(runsDir), outDir);
    }

    /**
     * {@link #write(Path, Path)} with the runs already collected ({@link RunCollector#collect}) from {@code runsDir},
     * so that a caller that needs them too does not read thousands of run directories twice.
     */
    public static List<Path> write(Path runsDir, List<RunRecord> runs, Path outDir) throws IOException {
        if (runs.isEmpty()) {
            return List.of();
        }
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target) && !replaceable(target)) {
            throw new ConfigException("report", outDir.toString(),
                    "exists and is not a report directory (no " + INDEX + "); refusing to replace it");
        }
        Map<String, byte[]> files = render(runsDir, runs);
        addDiverged(files, RunCollector.diverged(runsDir));
        return install(target, files, outDir);
    }

    /** The report's files (relative path to content), in a fixed order. */
    static Map<String, byte[]> render(Path runsDir, List<RunRecord> runs) {
        List<MetricTable.Row> rows = MetricTable.aggregate(runs);
        Map<String, byte[]> files = new LinkedHashMap<>();
        String title = "# CL-Lab report\n\n" + runs.size() + " finished runs; mean ± sample standard deviation over "
                + "seeds and, in brackets, the 95 % bootstrap interval of the mean (docs/metrics.md; none for one "
                + "run).\n";
        files.put("results.md", utf8(title + ReportTables.markdown(rows, false)
                + PairedComparisons.markdown(PairedComparisons.of(rows, runs))));
        files.put("results.csv", utf8(ReportTables.csv(rows, false)));
        files.put("results.tex", utf8(ReportTables.latex(rows)));
        files.put("acc_curves.csv", utf8(ReportTables.accCurvesCsv(rows)));
        files.put("matrices.csv", utf8(ReportTables.matricesCsv(rows)));
        files.put("runs.csv", utf8(runsCsv(runsDir, runs)));
        List<MetricTable.TimingRow> timing = MetricTable.timing(runs);
        files.put("timing.md", utf8(ReportTables.timingMarkdown(timing)));
        files.put("timing.csv", utf8(ReportTables.timingCsv(timing)));

        StringBuilder index = new StringBuilder(title);
        index.append("\nFiles: [results.md](results.md), [results.csv](results.csv), [results.tex](results.tex) "
                + "(LaTeX, needs booktabs), [acc_curves.csv](acc_curves.csv), [matrices.csv](matrices.csv), "
                + "[runs.csv](runs.csv), [timing.md](timing.md) (machine-dependent, not part of the results).\n");
        Set<String> names = new HashSet<>();
        ReportTables.byScenarioMode(rows).forEach((group, rs) -> {
            MetricTable.Row first = rs.get(0);
            String base = "plots/" + safe(first.scenario()) + "__" + safe(first.mode());
            String acc = unique(names, base + "__acc", ".png");
            files.put(acc, ReportPlots.accCurves(rs));
            index.append("\n## ").append(group).append("\n\n").append(ReportTables.markdownGroup(rs, false))
                    .append("\n![ACC after each task, ").append(group).append("](").append(acc).append(")\n\n");
            index.append("Accuracy matrices (mean over seeds; row k: after training task k, column j: task j):\n\n");
            for (MetricTable.Row r : rs) {
                String m = unique(names, base + "__" + safe(r.learner()) + "__matrix", ".png");
                files.put(m, ReportPlots.matrixHeatmap(r));
                index.append("![").append(r.learner()).append("](").append(m).append(")\n");
            }
        });
        List<ProbeTable> probe = ProbeTable.aggregate(runs);
        if (!probe.isEmpty()) {
            files.put("few_shot_probe.md", utf8(ProbeTable.markdown(probe)));
            files.put("few_shot_probe.csv", utf8(ProbeTable.csv(probe)));
            index.append("\n## Few-shot probe\n\n[few_shot_probe.md](few_shot_probe.md), "
                    + "[few_shot_probe.csv](few_shot_probe.csv)\n\n");
            Map<String, List<ProbeTable>> byScenario = new LinkedHashMap<>();
            probe.forEach(p -> byScenario.computeIfAbsent(p.scenario(), k -> new ArrayList<>()).add(p));
            byScenario.forEach((sc, ps) -> {
                String png = unique(names, "plots/" + safe(sc) + "__probe", ".png");
                files.put(png, ReportPlots.probeCurves(ps));
                index.append("![few-shot probe, ").append(sc).append("](").append(png).append(")\n");
            });
        }
        files.put(INDEX, utf8(index.toString()));
        return files;
    }

    /**
     * Runs that diverged are not results, but they are reported: {@code failed.csv} (dir, reason) and a section at
     * the end of {@code results.md} and the index.
     */
    static void addDiverged(Map<String, byte[]> files, Map<String, String> diverged) {
        if (diverged.isEmpty()) {
            return;
        }
        StringBuilder csv = new StringBuilder("dir,state,reason\n");
        StringBuilder md = new StringBuilder("\n## Runs that failed (diverged; not retried)\n\n| run | reason |\n"
                + "|---|---|\n");
        diverged.forEach((dir, why) -> {
            csv.append(ReportTables.csvField(dir)).append(",diverged,").append(ReportTables.csvField(why))
                    .append('\n');
            md.append("| ").append(dir).append(" | ").append(why.replace("|", "\\|")).append(" |\n");
        });
        files.put("failed.csv", utf8(csv.toString()));
        for (String f : List.of("results.md", INDEX)) {
            files.put(f, utf8(new String(files.get(f), java.nio.charset.StandardCharsets.UTF_8) + md));
        }
    }

    private static String runsCsv(Path runsDir, List<RunRecord> runs) {
        Path root = runsDir.toAbsolutePath().normalize();
        List<String[]> lines = new ArrayList<>();
        for (RunRecord r : runs) {
            String rel = root.relativize(r.dir().toAbsolutePath().normalize()).toString().replace('\\', '/');
            lines.add(new String[] {rel.isEmpty() ? "." : rel, r.scenario(), r.learner(), Long.toString(r.seed()),
                r.summary().path("config_hash").asText("")});
        }
        lines.sort((a, b) -> a[0].compareTo(b[0]));
        StringBuilder b = new StringBuilder("dir,scenario,learner,seed,config_hash\n");
        for (String[] l : lines) {
            b.append(String.join(",", Stream.of(l).map(ReportTables::csvField).toList())).append('\n');
        }
        return b.toString();
    }

    /**
     * A file-name-safe form: letters, digits, {@code .}, {@code -} kept; runs of anything else become one
     * {@code -}.
     */
    static String safe(String s) {
        String r = s.replaceAll("[^A-Za-z0-9.-]+", "-").replaceAll("^[-.]+|-+$", "");
        return r.isEmpty() ? "x" : r;
    }

    private static String unique(Set<String> names, String stem, String ext) {
        String name = stem + ext;
        for (int i = 2; !names.add(name); i++) {
            name = stem + "-" + i + ext;
        }
        return name;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean replaceable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        if (Files.isRegularFile(dir.resolve(INDEX))) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Writes {@code files} into a sibling staging directory, then swaps it into place. */
    private static List<Path> install(Path target, Map<String, byte[]> files, Path shownOut) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        long pid = ProcessHandle.current().pid();
        removeStale(parent, name);
        Path staging = parent.resolve("." + name + ".tmp-" + pid);
        Path old = parent.resolve("." + name + ".old-" + pid);
        AtomicFiles.deleteTree(staging);
        Files.createDirectories(staging);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = staging.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        if (Files.exists(target)) {
            AtomicFiles.move(target, old);
        }
        AtomicFiles.move(staging, target);
        AtomicFiles.deleteTree(old);
        return files.keySet().stream().sorted().map(shownOut::resolve).toList();
    }

    /** Staging or old copies that a killed report (a process that is gone) left beside the same directory. */
    private static void removeStale(Path parent, String name) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.filter(p -> staleOf(p.getFileName().toString(), name)).sorted().toList()) {
                AtomicFiles.deleteTree(p);
            }
        }
    }

    private static boolean staleOf(String file, String name) {
        for (String kind : List.of(".tmp-", ".old-")) {
            String prefix = "." + name + kind;
            if (file.startsWith(prefix)) {
                try {
                    long pid = Long.parseLong(file.substring(prefix.length()));
                    return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
