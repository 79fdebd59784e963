package org.cllab.runs.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.reproduce.Reproducer;
import org.cllab.runs.reproduce.Reproduction;
import org.cllab.runs.reproduce.ReproductionFile;
import org.cllab.runs.reproduce.ReproductionTables;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.sweep.ExecutorFactory;
import org.cllab.runs.sweep.ExecutorOptions;
import org.cllab.runs.sweep.SweepProgress;
import org.cllab.runs.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cl reproduce NAME [--out DIR] [--workers N | --executor slurm] [--check] [--format md|csv|tex]}. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce a results table (runs/reproductions/NAME.yaml): run what is missing through the sweep "
                + "machinery (finished runs are skipped, killed ones resume), then print ours (mean, std, 95 %% "
                + "bootstrap interval, seeds) beside the reference values. --list shows the reproductions.")
public final class ReproduceCommand implements Callable<Integer> {
    /** Where reproduction files live, relative to the project root. */
    public static final Path DIR = Path.of("runs", "reproductions");

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "reproduction name (runs/reproductions/NAME.yaml) or a reproduction file")
    String name;

    @Option(names = "--list", description = "list the reproductions: name, runs, expected wall time on 2 cores")
    boolean list;

    @Option(names = "--out", paramLabel = "DIR", description = "directory of the runs and tables "
            + "(default: results/reproductions/NAME)")
    Path out;

    @Option(names = "--executor", paramLabel = "NAME", description = "local (default) or slurm")
    String executor = "local";

    @Option(names = "--workers", paramLabel = "N", description = "local: runs at a time (default 1)")
    int workers = 1;

    @Option(names = "--threads", paramLabel = "T",
            description = "OpenMP threads per worker (default: cores / workers, at least 1)")
    int threads = 0;

    @Option(names = "--runs-per-jvm", paramLabel = "K", description = "local: runs per worker JVM (default "
            + "${DEFAULT-VALUE})")
    int runsPerJvm = ExecutorOptions.DEFAULT_RUNS_PER_JVM;

    @Option(names = "--check", description = "exit 1 naming every figure outside its tolerance (or without all "
            + "its runs)")
    boolean check;

    @Option(names = "--format", paramLabel = "FMT", description = "table printed: md (default), csv or tex "
            + "(DIR/reproduction.{md,csv,tex} are all written)")
    String format = "md";

    @Option(names = "--no-run", description = "run nothing: the table from the finished runs under DIR")
    boolean noRun;

    @Option(names = "--write-docs", description = "also rewrite the generated block of the reproduction's results "
            + "page and its rows of docs/REPRODUCTION.md (needs every run finished)")
    boolean writeDocs;

    /** The project root: {@code -Dcllab.home} (set by ./cl), else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("cllab.home", "."));
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            return list();
        }
        if (name == null) {
            throw new ConfigException("reproduce", "NAME", "missing (give a reproduction name, or --list)");
        }
        if (!List.of("md", "csv", "tex").contains(format)) {
            throw new ConfigException("--format", format, "expected md, csv or tex");
        }
        if (workers < 1) {
            throw new ConfigException("--workers", Integer.toString(workers), "must be >= 1");
        }
        if (threads < 0) {
            throw new ConfigException("--threads", Integer.toString(threads), "must be >= 0");
        }
        if (runsPerJvm < 1) {
            throw new ConfigException("--runs-per-jvm", Integer.toString(runsPerJvm), "must be >= 1");
        }
        if (!ExecutorFactory.NAMES.contains(executor)) {
            ExecutorFactory.create(executor); // throws the one-line error
        }
        Reproduction r = ReproductionFile.parse(resolve(name));
        Path dir = out != null ? out : Reproducer.defaultOut(r);
        Reproducer.Result res;
        if (noRun) {
            res = Reproducer.evaluate(r, dir);
        } else {
            for (Reproduction.Requirement q : r.requires()) {
                if (!Files.exists(Path.of(q.file()))) {
                    System.err.println("cl reproduce: " + q.file() + " is missing; making it: cl "
                            + String.join(" ", q.command()));
                    int code = Cl.execute(q.command().toArray(String[]::new));
                    if (code != 0 || !Files.exists(Path.of(q.file()))) {
                        System.err.println("cl: reproduce " + r.name() + ": cl " + String.join(" ", q.command())
                                + " failed (exit " + code + ")");
                        return code != 0 ? code : 1;
                    }
                }
            }
            SweepRunner runner = new SweepRunner(executor, new ExecutorOptions(workers, threads, runsPerJvm),
                    System.err, SweepProgress.isTerminal());
            res = Reproducer.run(r, dir, runner);
        }
        Files.createDirectories(dir);
        String md = ReproductionTables.markdown(res);
        AtomicFiles.write(dir.resolve("reproduction.md"), md);
        AtomicFiles.write(dir.resolve("reproduction.csv"), ReproductionTables.csv(res));
        AtomicFiles.write(dir.resolve("reproduction.tex"), ReproductionTables.tex(res));
        System.out.print(switch (format) {
            case "csv" -> ReproductionTables.csv(res);
            case "tex" -> ReproductionTables.tex(res);
            default -> md;
        });
        int code = 0;
        if (!res.failed().isEmpty()) {
            System.err.println("cl: " + res.failed().size() + " run(s) failed: " + String.join(", ", res.failed())
                    + " (see the group's sweep directory under " + dir.resolve("runs") + "; rerun to retry)");
            code = 1;
        }
        if (writeDocs) {
            if (res.finished() < res.runs()) {
                System.err.println("cl: reproduce " + r.name() + " --write-docs: only " + res.finished() + " of "
                        + res.runs() + " runs finished; docs left as they are");
                return 1;
            }
            String machine = machine();
            if (r.page().isPresent()) {
                Path page = home().resolve(r.page().get());
                ReproductionTables.writePageBlock(page, r.block(), "./cl reproduce " + r.name() + " --write-docs",
                        md.stripTrailing() + "\n\n_Measured on " + machine + "._\n");
                System.err.println("cl reproduce: table written to " + page);
            }
            Path doc = home().resolve("docs").resolve("REPRODUCTION.md");
            ReproductionTables.writeReproductionDoc(doc, res, machine);
            System.err.println("cl reproduce: rows written to " + doc);
        }
        if (check) {
            List<Reproducer.FigureResult> bad = res.notOk();
            if (!bad.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Reproducer.FigureResult f : bad) {
                    parts.add(f.figure().id() + " (" + (f.stats() == null ? "no runs"
                            : String.format(Locale.ROOT, "ours %.4f", f.stats().mean())) + String.format(Locale.ROOT,
                            ", reference %.4f, tolerance %.4f", f.figure().reference(), f.figure().tolerance())
                            + (f.status().equals(Reproducer.MISSING) ? ", " + f.seeds().size() + " of "
                            + f.expected() + " runs finished" : "") + ")");
                }
                System.err.println("cl: reproduce " + r.name() + " --check: " + bad.size() + " of "
                        + res.figures().size() + " figure(s) not within tolerance: " + String.join("; ", parts));
                return 1;
            }
            System.err.println("cl reproduce " + r.name() + " --check: all " + res.figures().size()
                    + " figures within tolerance");
        }
        return code;
    }

    /** NAME as a file: a path when it ends in .yaml/.yml or contains a '/', else runs/reproductions/NAME.yaml. */
    static Path resolve(String name) {
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.contains("/")) {
            return Path.of(name);
        }
        Path f = home().resolve(DIR).resolve(name + ".yaml");
        if (!Files.isRegularFile(f)) {
            throw new ConfigException("reproduce", name, "no reproduction of that name (available: "
                    + String.join(", ", names()) + ")");
        }
        return f;
    }

    private static List<String> names() {
        Path d = home().resolve(DIR);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int list() {
        System.out.println("| reproduction | runs | figures | expected wall time (2 cores) | title |");
        System.out.println("|---|---|---|---|---|");
        for (String n : names()) {
            Reproduction r = ReproductionFile.parse(home().resolve(DIR).resolve(n + ".yaml"));
            int runs = r.runs().stream().mapToInt(g -> org.cllab.runs.reproduce.Reproducer.plannedRuns(g)).sum();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", n, runs, r.figures().size(),
                    minutes(r.expectedWallMinutes()), r.title());
        }
        return 0;
    }

    private static String minutes(double m) {
        return m >= 90 ? String.format(Locale.ROOT, "%.1f h", m / 60) : String.format(Locale.ROOT, "%.0f min", m);
    }

    /** Cores, OS and the load average now (the machine is shared: timings are loaded ones when it is high). */
    static String machine() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%d cores, %s %s, load average %.1f at the end",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), load);
    }
}
