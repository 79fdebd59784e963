package org.cllab.runs.cli;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.worker.RunWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cl worker [--max-runs N]}: a long-lived worker of a sweep ({@link RunWorker}); reads
 * {@code RUN_DIR<TAB>CONFIG} lines from standard input. Started by the sweep executors, not by hand (hidden).
 */
@Command(name = "worker", hidden = true, mixinStandardHelpOptions = true,
        description = "Run several runs one after the other in this JVM; one RUN_DIR<TAB>CONFIG per input line.")
public final class WorkerLoopCommand implements Callable<Integer> {
    @Option(names = "--max-runs", paramLabel = "N", description = "stop after N runs (default 0: end of input)")
    int maxRuns;

    @Override
    public Integer call() throws Exception {
        if (maxRuns < 0) {
            throw new ConfigException("--max-runs", Integer.toString(maxRuns), "must be >= 0");
        }
        // the real standard output: System.out is redirected into each run's worker.out while it runs
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return RunWorker.loop(in, protocol, maxRuns);
    }
}
