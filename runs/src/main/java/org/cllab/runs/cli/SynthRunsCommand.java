package org.cllab.runs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cllab.runs.sweep.SweepPlan;
import org.cllab.runs.sweep.SyntheticRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cl synth-runs SWEEP --out DIR [--seed S]}: a sweep directory whose runs are all finished, with made-up
 * results ({@link SyntheticRuns}), for benchmarks of the bookkeeping (hidden: not for experiments).
 */
@Command(name = "synth-runs", hidden = true, mixinStandardHelpOptions = true,
        description = "Write a sweep directory of synthetic finished runs (made-up results; for benchmarks).")
public final class SynthRunsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep file")
    Path sweep;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "sweep directory (absent or empty)")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the made-up results (default 0)")
    long seed;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        SweepPlan plan = SyntheticRuns.generate(sweep, out, seed);
        System.out.printf("%d synthetic finished runs of sweep %s in %s (%.1f s)%n", plan.runs().size(),
                plan.hash().substring(0, 8), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
