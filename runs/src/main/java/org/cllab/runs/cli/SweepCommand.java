package org.cllab.runs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.sweep.ExecutorFactory;
import org.cllab.runs.sweep.ExecutorOptions;
import org.cllab.runs.sweep.SweepPlan;
import org.cllab.runs.sweep.SweepProgress;
import org.cllab.runs.sweep.SweepRun;
import org.cllab.runs.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cl sweep SWEEP [--out DIR] [--executor local|slurm] [--workers N]}. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run every run of a sweep file (grid x learners x random draws x seeds), each in its own run "
                + "directory (worker JVMs run several runs one after the other). Rerunning the same --out skips "
                + "finished runs and resumes interrupted ones; DIR/report/ holds the tables at the end.")
public final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep file (YAML, see docs/user-guide.md)")
    Path sweep;

    @Option(names = "--out", paramLabel = "DIR", description = "sweep directory (default: results/<sweep name>-<hash>)")
    Path out;

    @Option(names = "--executor", paramLabel = "NAME", description = "local (default) or slurm")
    String executor = "local";

    @Option(names = "--workers", paramLabel = "N", description = "local: runs at a time (default 1)")
    int workers = 1;

    @Option(names = "--threads", paramLabel = "T",
            description = "OpenMP threads per worker (default: cores / workers, at least 1)")
    int threads = 0;

    @Option(names = "--runs-per-jvm", paramLabel = "K",
            description = "local: runs one worker JVM executes one after the other before a fresh JVM takes over "
                    + "(default ${DEFAULT-VALUE}; 1 = a JVM per run)")
    int runsPerJvm = ExecutorOptions.DEFAULT_RUNS_PER_JVM;

    @Option(names = "--dry-run", description = "validate the sweep, list its runs and exit; writes nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
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
        if (dryRun) {
            SweepPlan plan = SweepRunner.plan(sweep);
            System.out.printf("sweep %s: %d runs%n", plan.hash().substring(0, 8), plan.runs().size());
            for (SweepRun r : plan.runs()) {
                System.out.println(r.id() + "  " + r.label());
            }
            return 0;
        }
        SweepRunner.Result r = new SweepRunner(executor, new ExecutorOptions(workers, threads, runsPerJvm), System.err,
                SweepProgress.isTerminal()).run(sweep, out);
        System.out.printf("sweep directory: %s%n%d of %d runs finished (%d before this session)%n", r.dir(),
                r.skipped() + r.finished(), r.plan().runs().size(), r.skipped());
        r.report().forEach(p -> System.out.println("report: " + p));
        if (!r.failed().isEmpty()) {
            System.err.println("cl: " + r.failed().size() + " run(s) failed: " + String.join(", ", r.failed())
                    + " (see DIR/runs/<id>/worker.err and run.log; rerun the same command to retry)");
            return 1;
        }
        return 0;
    }
}
