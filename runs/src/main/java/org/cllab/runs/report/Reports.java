package org.cllab.runs.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.run.AtomicFiles;

/**
 * The report files of a set of runs, written by {@code cl sweep} at the end of every session into
 * {@code DIR/report/}. The files hold only what the runs computed (no wall times, no timestamps), so a sweep that was
 * killed and resumed writes byte-identical files to an uninterrupted one.
 */
public final class Reports {
    /** Keys that never split a row: seeds (aggregated over) and run bookkeeping. */
    static final Set<String> NOT_A_SETTING = Set.of("run.seed", "scenario.seed", "learner.seed", "run.name",
            "run.progress", "run.checkpoints", "run.keep_checkpoints", "learner.type");

    private Reports() {
    }

    /**
     * Aggregates the finished runs under {@code runsDir} ({@link RunCollector}, {@link MetricTable}) and writes
     * {@code outDir/report.md} (Markdown tables) and {@code outDir/report.csv}, each atomically. Runs of one learner
     * type that differ in other settings (a grid over {@code learner.lr}, say) get separate rows: see
     * {@link #withSettingLabels}.
     *
     * @return the files written; empty when {@code runsDir} holds no finished run (nothing is written then)
     */
    public static List<Path> write(Path runsDir, Path outDir) throws IOException {
        List<RunRecord> runs = withSettingLabels(RunCollector.collect(runsDir));
        List<Path> written = new ArrayList<>();
        if (runs.isEmpty()) {
            return written;
        }
        List<MetricTable.Row> rows = MetricTable.aggregate(runs);
        Path md = outDir.resolve("report.md");
        AtomicFiles.write(md, "# Report: mean ± sample std over seeds\n" + MetricTable.markdown(rows, false));
        written.add(md);
        Path csv = outDir.resolve("report.csv");
        AtomicFiles.write(csv, MetricTable.csv(rows, false));
        written.add(csv);
        return written;
    }

    /**
     * Relabels each run's learner as {@code type (key=value, ...)} with the config keys whose values differ among the
     * runs of that learner type (seeds and run bookkeeping excluded; a leading {@code learner.} is dropped), so that
     * the tables aggregate over seeds only. Runs of a type whose settings all agree keep the plain type.
     */
    public static List<RunRecord> withSettingLabels(List<RunRecord> runs) throws IOException {
        Map<Path, RunConfig> configs = new HashMap<>();
        Map<String, Map<String, Set<String>>> valuesByType = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            RunConfig c = new ConfigLoader().load(r.dir().resolve("config.yaml"), List.of());
            configs.put(r.dir(), c);
            Map<String, Set<String>> vals = valuesByType.computeIfAbsent(r.learner(), k -> new LinkedHashMap<>());
            c.values().forEach((k, v) -> vals.computeIfAbsent(k, x -> new HashSet<>()).add(String.valueOf(v)));
        }
        List<RunRecord> out = new ArrayList<>();
        for (RunRecord r : runs) {
            RunConfig c = configs.get(r.dir());
            Set<String> varying = new TreeSet<>();
            valuesByType.get(r.learner()).forEach((k, v) -> {
                if (v.size() > 1 && !NOT_A_SETTING.contains(k)) {
                    varying.add(k);
                }
            });
            if (varying.isEmpty()) {
                out.add(r);
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (String k : varying) {
                parts.add((k.startsWith("learner.") ? k.substring("learner.".length()) : k) + "="
                        + Objects.toString(c.values().get(k)));
            }
            out.add(new RunRecord(r.dir(), r.learner() + " (" + String.join(", ", parts) + ")", r.scenario(),
                    r.seed(), r.summary()));
        }
        return out;
    }
}
