package org.cllab.runs.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cllab.core.metrics.SeedStatistics;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.report.RunCollector;
import org.cllab.runs.report.RunRecord;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.sweep.SweepLayout;
import org.cllab.runs.sweep.SweepPlan;
import org.cllab.runs.sweep.SweepRunner;

/**
 * Runs a {@link Reproduction} through the sweep machinery and compares its figures with their references. Each run
 * group is one sweep (a config group's sweep file is written to {@code OUT/sweeps/GROUP.yaml}) in its own sweep
 * directory {@code OUT/runs/GROUP-HASH8}, HASH8 the sweep's hash: a rerun skips finished runs and resumes interrupted
 * ones exactly as {@code cl sweep} does, and a changed group gets a fresh directory.
 */
public final class Reproducer {
    /** Status of a figure within its tolerance. */
    public static final String OK = "ok";
    /** Status of a figure outside its tolerance. */
    public static final String OUTSIDE = "outside";
    /** Status of a figure whose runs are not all finished. */
    public static final String MISSING = "missing";

    /**
     * One figure, ours against the reference.
     *
     * @param figure   the figure
     * @param seeds    seeds of the finished runs, ascending
     * @param values   the metric per seed, in the order of {@code seeds}
     * @param stats    mean, std and 95 % bootstrap interval over seeds (null when no run finished)
     * @param expected number of runs of the group
     * @param status   {@link #OK}, {@link #OUTSIDE} or {@link #MISSING}
     */
    public record FigureResult(Reproduction.Figure figure, List<Long> seeds, double[] values,
                               SeedStatistics.Summary stats, int expected, String status) {
        /** |ours - reference|, NaN without runs. */
        public double deviation() {
            return stats == null ? Double.NaN : Math.abs(stats.mean() - figure.reference());
        }
    }

    /**
     * The outcome.
     *
     * @param reproduction   the reproduction
     * @param out            its directory
     * @param figures        one result per figure, in file order
     * @param runs           runs of all groups
     * @param finished       finished runs
     * @param runWallSeconds sum of the finished runs' {@code wall_seconds}
     * @param failed         ids of runs that failed in this session
     */
    public record Result(Reproduction reproduction, Path out, List<FigureResult> figures, int runs, int finished,
                         double runWallSeconds, List<String> failed) {
        /** The figures outside their tolerance or without all their runs. */
        public List<FigureResult> notOk() {
            return figures.stream().filter(f -> !f.status().equals(OK)).toList();
        }
    }

    private Reproducer() {
    }

    /** Number of runs of a group. */
    public static int plannedRuns(Reproduction.RunGroup g) {
        return ReproductionFile.planOf(g).runs().size();
    }

    /** Default directory: {@code results/reproductions/NAME}. */
    public static Path defaultOut(Reproduction r) {
        return Path.of("results", "reproductions", r.name());
    }

    /** The sweep directory of a group. */
    public static Path groupDir(Path out, Reproduction.RunGroup g, SweepPlan plan) {
        return out.resolve("runs").resolve(g.slug() + "-" + plan.hash().substring(0, 8));
    }

    /** The sweep file of a group: its own for a sweep group, else {@code OUT/sweeps/GROUP.yaml} (written here). */
    static Path sweepFile(Path out, Reproduction.RunGroup g) throws IOException {
        if (g.sweep().isPresent()) {
            return g.sweep().get();
        }
        Path f = out.resolve("sweeps").resolve(g.slug() + ".yaml");
        String yaml = ReproductionFile.sweepYaml(g);
        if (!Files.exists(f) || !Files.readString(f).equals(yaml)) {
            Files.createDirectories(f.getParent());
            AtomicFiles.write(f, yaml);
        }
        return f;
    }

    /**
     * Runs what is missing of every group, one sweep after the other, then evaluates.
     *
     * @param runner the sweep runner (executor, workers, console)
     */
    public static Result run(Reproduction r, Path out, SweepRunner runner) throws IOException, InterruptedException {
        List<String> failed = new ArrayList<>();
        for (Reproduction.RunGroup g : r.runs()) {
            Path f = sweepFile(out, g);
            SweepPlan plan = SweepRunner.plan(f);
            SweepRunner.Result res = runner.run(f, groupDir(out, g, plan));
            failed.addAll(res.failed());
            if (!res.allFinished() && res.failed().isEmpty()) {
                break; // interrupted (signal): stop here, a rerun resumes
            }
        }
        Result e = evaluate(r, out);
        return new Result(e.reproduction(), e.out(), e.figures(), e.runs(), e.finished(), e.runWallSeconds(),
                List.copyOf(failed));
    }

    /** The figures from the finished runs under {@code out}; runs nothing. */
    public static Result evaluate(Reproduction r, Path out) throws IOException {
        Map<String, List<RunRecord>> byGroup = new LinkedHashMap<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        int runs = 0;
        int finished = 0;
        double wall = 0;
        for (Reproduction.RunGroup g : r.runs()) {
            SweepPlan plan = ReproductionFile.planOf(g);
            SweepLayout layout = new SweepLayout(groupDir(out, g, plan));
            List<Path> dirs = plan.runs().stream().map(x -> layout.runDir(x.id())).filter(Files::isDirectory)
                    .toList();
            List<RunRecord> records = dirs.isEmpty() ? List.of() : RunCollector.collect(dirs);
            Map<Long, RunRecord> bySeed = new TreeMap<>();
            for (RunRecord rec : records) {
                if (bySeed.put(rec.seed(), rec) != null) {
                    throw new ConfigException(r.file().toString(), "runs (" + g.name() + ")", "two runs of the "
                            + "group have seed " + rec.seed() + " (a group's runs may differ only in their seed)");
                }
                wall += rec.summary().path("wall_seconds").asDouble(0);
            }
            byGroup.put(g.name(), List.copyOf(bySeed.values()));
            expected.put(g.name(), plan.runs().size());
            runs += plan.runs().size();
            finished += records.size();
        }
        List<FigureResult> out2 = new ArrayList<>();
        for (Reproduction.Figure f : r.figures()) {
            List<RunRecord> recs = byGroup.get(f.learner());
            List<Long> seeds = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (RunRecord rec : recs) {
                JsonNode v = rec.summary().path("evaluations").path(f.mode()).path(f.metric());
                if (!v.isNumber()) {
                    throw new ConfigException(r.file().toString(), "figures (" + f.id() + ")", "run "
                            + rec.dir() + " has no " + f.metric() + " for mode '" + f.mode() + "' (its modes: "
                            + String.join(", ", (Iterable<String>) () -> rec.summary().path("evaluations").fieldNames()) + ")");
                }
                seeds.add(rec.seed());
                values.add(v.asDouble());
            }
            double[] vs = values.stream().mapToDouble(Double::doubleValue).toArray();
            SeedStatistics.Summary s = vs.length == 0 ? null : SeedStatistics.summary(vs);
            int exp = expected.get(f.learner());
            String status = vs.length < exp ? MISSING
                    : Math.abs(s.mean() - f.reference()) <= f.tolerance() + 1e-12 ? OK : OUTSIDE;
            out2.add(new FigureResult(f, List.copyOf(seeds), vs, s, exp, status));
        }
        return new Result(r, out, List.copyOf(out2), runs, finished, wall, List.of());
    }
}
