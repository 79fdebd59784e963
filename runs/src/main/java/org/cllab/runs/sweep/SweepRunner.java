package org.cllab.runs.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.report.Reports;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.run.Summary;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs a sweep into a directory, independent of the executor:
 * <ol>
 *   <li>parse and expand the sweep file, validating every run ({@link SweepFile}, {@link SweepExpander});</li>
 *   <li>create the executor and let it check its prerequisites ({@link SweepExecutor#preflight});</li>
 *   <li>check the directory: a directory of another sweep (different sweep hash) or with unrelated files is refused;
 *       a directory another sweep process is using (file lock) is refused; none of this writes anything;</li>
 *   <li>write {@code sweep.yaml} (resolved copy), each unfinished run's {@code config.yaml} and the index;</li>
 *   <li>skip finished runs (their files are not touched), hand the others to the executor (a partly done run resumes
 *       after its last checkpoint);</li>
 *   <li>write the report of all finished runs ({@link Reports#write}).</li>
 * </ol>
 */
public final class SweepRunner {
    /**
     * What a sweep session did.
     *
     * @param plan     the sweep
     * @param dir      the sweep directory
     * @param skipped  runs already finished before this session
     * @param finished runs finished in this session
     * @param failed   runs that ended unfinished in this session (ids)
     * @param report   report files written
     */
    public record Result(SweepPlan plan, Path dir, int skipped, int finished, List<String> failed, List<Path> report) {
        public boolean allFinished() {
            return failed.isEmpty() && skipped + finished == plan.runs().size();
        }
    }

    private final ExecutorOptions options;
    private final String executorName;
    private final SweepExecutor executor;
    private final PrintStream console;
    private final boolean tty;

    /**
     * @param executorName an {@link ExecutorFactory} name
     * @param console      where progress goes (standard error)
     * @param tty          redraw the progress line in place
     */
    public SweepRunner(String executorName, ExecutorOptions options, PrintStream console, boolean tty) {
        this(executorName, null, options, console, tty);
    }

    /** A runner with a given executor instance (embedding, tests). */
    public SweepRunner(SweepExecutor executor, ExecutorOptions options, PrintStream console, boolean tty) {
        this(executor.name(), executor, options, console, tty);
    }

    private SweepRunner(String executorName, SweepExecutor executor, ExecutorOptions options, PrintStream console,
                        boolean tty) {
        this.executorName = executorName;
        this.executor = executor;
        this.options = options;
        this.console = console;
        this.tty = tty;
    }

    /** Validates the sweep; nothing is written. */
    public static SweepPlan plan(Path sweepFile) {
        return SweepExpander.expand(SweepFile.parse(sweepFile));
    }

    /** Default directory: {@code results/<sweep file name>-<first 8 hex digits of the sweep hash>}. */
    public static Path defaultDir(Path sweepFile, SweepPlan plan) {
        String stem = sweepFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return Path.of("results", stem + "-" + plan.hash().substring(0, 8));
    }

    /** Runs {@code sweepFile} into {@code dir} (null: {@link #defaultDir}). */
    public Result run(Path sweepFile, Path dir) throws IOException, InterruptedException {
        SweepPlan plan = plan(sweepFile);
        Path out = dir != null ? dir : defaultDir(sweepFile, plan);
        org.cllab.runs.run.OutputDirectory.preflight(out);
        SweepLayout layout = new SweepLayout(out);
        SweepExecutor executor = this.executor != null ? this.executor : ExecutorFactory.create(executorName);
        SweepContext ctx = new SweepContext(plan, layout, options, WorkerCommand.current());
        executor.preflight(ctx);
        checkDirectory(plan, layout);
        Files.createDirectories(out);
        try (FileChannel ch = FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(ch, out)) {
            return runLocked(plan, layout, executor, ctx);
        }
    }

    private static FileLock tryLock(FileChannel ch, Path out) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new ConfigException("--out", out.toString(), "another sweep process is running in this directory");
        }
        return lock;
    }

    private Result runLocked(SweepPlan plan, SweepLayout layout, SweepExecutor executor, SweepContext ctx)
            throws IOException, InterruptedException {
        long scanStart = System.nanoTime();
        AtomicFiles.write(layout.sweepFile(), resolvedYaml(plan));
        List<SweepRun> todo = new ArrayList<>();
        List<String> divergedBefore = new ArrayList<>();
        int skipped = 0;
        int partial = 0;
        List<String> failed = new ArrayList<>();
        int[] finished = {0};
        try (SweepIndex index = new SweepIndex(layout, plan, executor.name())) {
            for (SweepRun r : plan.runs()) {
                SweepLayout.Phase phase = layout.phase(r.id());
                if (phase == SweepLayout.Phase.FINISHED) {
                    index.set(r, RunStatus.FINISHED);
                    skipped++;
                    continue;
                }
                if (phase == SweepLayout.Phase.DIVERGED) { // deterministic: rerunning would diverge again
                    index.update(r, RunStatus.FAILED, Map.of("reason", layout.divergedReason(r.id())));
                    divergedBefore.add(r.id());
                    continue;
                }
                if (phase == SweepLayout.Phase.PARTIAL) {
                    partial++;
                }
                Path cfg = layout.runConfig(r.id());
                if (Files.exists(cfg)) {
                    if (!Files.readString(cfg).equals(r.config().toYaml())) {
                        throw new ConfigException("--out", layout.runDir(r.id()).toString(), "holds a run of a "
                                + "different config than run " + r.id() + " of the sweep (its config.yaml differs)");
                    }
                    removeStaleFiles(layout.runDir(r.id()));
                } else {
                    AtomicFiles.write(cfg, r.config().toYaml());
                }
                todo.add(r);
            }
            failed.addAll(divergedBefore);
            index.write();
            int concurrency = executor.name().equals("local")
                    ? DeviceScheduler.of(plan.spec(), options.workers()).maxConcurrent()
                    : executor.name().equals("slurm") ? plan.spec().slurm().maxConcurrent() : options.workers();
            console.printf(java.util.Locale.ROOT, "sweep %s: %d runs (%d finished before, %d to resume, %d new) in "
                            + "%s, executor %s%s (directory scanned in %.1f s)%n",
                    plan.hash().substring(0, 8), plan.runs().size(), skipped, partial, todo.size() - partial,
                    layout.root(), executor.name(), executor.name().equals("local") ? ", " + concurrency
                            + " workers x " + options.resolvedThreads() + " threads" : "",
                    (System.nanoTime() - scanStart) / 1e9);
            if (!todo.isEmpty()) {
                try (SweepProgress progress = new SweepProgress(console, tty, plan.runs().size(), skipped,
                        concurrency)) {
                    SweepListener listener = (run, status, info) -> {
                        Map<String, String> details = new LinkedHashMap<>(info);
                        if (status == RunStatus.FINISHED) {
                            wallSeconds(layout, run).ifPresent(w -> details.put("wall_seconds", w));
                        }
                        index.update(run, status, details);
                        progress.onStatus(run, status, details);
                    };
                    executor.execute(ctx, todo, listener);
                }
                for (SweepRun r : todo) {
                    SweepLayout.Phase phase = layout.phase(r.id());
                    boolean done = phase == SweepLayout.Phase.FINISHED;
                    boolean interrupted = !done && phase != SweepLayout.Phase.DIVERGED
                            && index.status(r.id()) == RunStatus.INTERRUPTED;
                    if (done) {
                        finished[0]++;
                    } else if (!interrupted) {
                        failed.add(r.id());
                    }
                    RunStatus st = done ? RunStatus.FINISHED : interrupted ? RunStatus.INTERRUPTED : RunStatus.FAILED;
                    if (index.status(r.id()) != st) {
                        index.update(r, st, phase == SweepLayout.Phase.DIVERGED
                                ? Map.of("reason", layout.divergedReason(r.id())) : Map.of());
                    }
                }
            }
        }
        List<Path> report = Reports.write(layout.runsDir(), layout.reportDir());
        return new Result(plan, layout.root(), skipped, finished[0], failed, report);
    }

    private static Optional<String> wallSeconds(SweepLayout layout, SweepRun run) {
        try {
            var s = Summary.readFinished(layout.runDir(run.id()));
            return s == null ? Optional.empty() : Optional.of(s.path("wall_seconds").asText());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Refuses a directory of another sweep or with unrelated files; writes nothing. */
    static void checkDirectory(SweepPlan plan, SweepLayout layout) throws IOException {
        Path out = layout.root();
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new ConfigException("--out", out.toString(), "exists and is not a directory");
        }
        String hash = SweepIndex.readHash(layout.index());
        if (hash != null) {
            if (!hash.equals(plan.hash())) {
                throw new ConfigException("--out", out.toString(), "holds a different sweep (sweep hash "
                        + hash.substring(0, 8) + ", this sweep " + plan.hash().substring(0, 8)
                        + "); use another --out directory");
            }
            return;
        }
        try (var s = Files.list(out)) {
            if (s.anyMatch(p -> !p.equals(layout.lockFile()))) {
                throw new ConfigException("--out", out.toString(), "exists, is not empty and is not a sweep directory");
            }
        }
    }

    /**
     * Temporary files and partial checkpoints a killed worker left behind ({@code .NAME.tmp-PID},
     * {@code checkpoints/.partial-*-PID}); only those of processes that are gone.
     */
    static void removeStaleFiles(Path runDir) throws IOException {
        for (Path d : List.of(runDir, runDir.resolve("checkpoints"))) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var s = Files.list(d)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    int dash = n.lastIndexOf('-');
                    boolean tmp = n.startsWith(".") && (n.contains(".tmp-") || n.startsWith(".partial-"));
                    if (!tmp || dash < 0) {
                        continue;
                    }
                    long pid;
                    try {
                        pid = Long.parseLong(n.substring(dash + 1));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    /** {@code sweep.yaml}: the sweep as parsed, with the base as an absolute path; itself a valid sweep file. */
    static String resolvedYaml(SweepPlan plan) {
        SweepSpec s = plan.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        s.base().ifPresent(b -> m.put("base", b.toAbsolutePath().toString()));
        if (!s.set().isEmpty()) {
            m.put("set", new LinkedHashMap<>(s.set()));
        }
        if (!s.learners().isEmpty()) {
            List<Object> ls = new ArrayList<>();
            for (SweepSpec.LearnerEntry e : s.learners()) {
                if (e.set().isEmpty()) {
                    ls.add(e.type());
                } else {
                    Map<String, Object> le = new LinkedHashMap<>();
                    le.put("type", e.type());
                    le.put("set", new LinkedHashMap<>(e.set()));
                    ls.add(le);
                }
            }
            m.put("learners", ls);
        }
        if (!s.grid().isEmpty()) {
            Map<String, Object> g = new LinkedHashMap<>();
            s.grid().forEach((k, v) -> g.put(k, new ArrayList<>(v)));
            m.put("grid", g);
        }
        if (s.random().draws() > 0) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("draws", s.random().draws());
            r.put("seed", s.random().seed());
            Map<String, Object> p = new LinkedHashMap<>();
            s.random().params().forEach((k, d) -> p.put(k, Map.of(d.kind(), new ArrayList<>(d.values()))));
            r.put("params", p);
            m.put("random", r);
        }
        if (!s.seeds().isEmpty()) {
            m.put("seeds", new ArrayList<>(s.seeds()));
        }
        List<Object> devices = new ArrayList<>();
        for (Device d : s.devices()) {
            devices.add(d.isGpu() ? (Object) Integer.parseInt(d.id()) : d.id());
        }
        m.put("devices", devices);
        m.put("gpu_memory_budget_mb", s.gpuMemoryBudgetMb());
        m.put("run_memory_mb", s.runMemoryMb());
        SweepSpec.SlurmOptions o = s.slurm();
        Map<String, Object> sl = new LinkedHashMap<>();
        sl.put("partition", o.partition());
        sl.put("account", o.account());
        sl.put("cpus_per_task", o.cpusPerTask());
        sl.put("mem", o.mem());
        sl.put("time", o.time());
        sl.put("max_concurrent", o.maxConcurrent());
        sl.put("max_retries", o.maxRetries());
        sl.put("gpus", o.gpus());
        sl.put("extra_args", new ArrayList<>(o.extraArgs()));
        sl.put("runs_per_task", o.runsPerTask());
        sl.put("max_submit_jobs", o.maxSubmitJobs());
        m.put("slurm", sl);
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        opts.setWidth(120);
        return "# Resolved copy of " + s.file().toAbsolutePath() + "\n# sweep hash " + plan.hash() + ", "
                + plan.runs().size() + " runs (ids in sweep-index.json)\n" + new Yaml(opts).dump(m);
    }
}
