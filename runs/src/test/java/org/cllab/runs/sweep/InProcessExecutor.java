package org.cllab.runs.sweep;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.cli.Cl;
import org.cllab.runs.run.RunExecutor;
import org.cllab.runs.run.RunSignals;
import org.cllab.runs.run.Summary;

/**
 * Test executor: runs each run in this JVM with the real {@link RunExecutor} (exactly what a worker's {@code cl run}
 * does, without starting JVMs). Runs whose id is in {@code stopAtTask3} are interrupted when task 3 starts (after
 * the task-2 checkpoint), like a killed worker.
 */
final class InProcessExecutor implements SweepExecutor {
    private final Set<String> stopAtTask3;
    private final Set<String> sigtermAtTask3;
    private int executed;

    InProcessExecutor(Set<String> stopAtTask3) {
        this(stopAtTask3, Set.of());
    }

    /** @param sigtermAtTask3 runs that get a SIGTERM request ({@link RunSignals#request}) when task 3 starts */
    InProcessExecutor(Set<String> stopAtTask3, Set<String> sigtermAtTask3) {
        this.stopAtTask3 = stopAtTask3;
        this.sigtermAtTask3 = sigtermAtTask3;
    }

    /** Runs handed to this executor so far. */
    int executed() {
        return executed;
    }

    @Override
    public String name() {
        return "in-process";
    }

    private static final class Stop extends RuntimeException {
    }

    @Override
    public void execute(SweepContext context, List<SweepRun> runs, SweepListener listener) throws IOException {
        for (SweepRun r : runs) {
            executed++;
            listener.onStatus(r, RunStatus.RUNNING, Map.of("device", "cpu"));
            RunConfig cfg = new ConfigLoader().load(context.layout().runConfig(r.id()), List.of());
            ProtocolListener stop = new ProtocolListener() {
                @Override
                public void onTaskStart(TaskInfo task) {
                    if (stopAtTask3.contains(r.id()) && task.index() == 2) {
                        throw new Stop();
                    }
                    if (sigtermAtTask3.contains(r.id()) && task.index() == 2) {
                        RunSignals.request("TERM");
                    }
                }
            };
            try {
                RunExecutor.Outcome o = new RunExecutor(false, stop).execute(cfg, context.layout().runDir(r.id()),
                        context.layout().runConfig(r.id()));
                int code = switch (o.state()) { // what cl run exits with
                    case Summary.DIVERGED -> Cl.DIVERGED;
                    case Summary.INTERRUPTED -> RunSignals.EXIT_CODES.get("TERM");
                    default -> 0;
                };
                listener.onStatus(r, LocalExecutor.endStatus(context.layout(), r, code),
                        LocalExecutor.endInfo(context.layout(), r, code));
            } catch (Stop e) {
                listener.onStatus(r, RunStatus.FAILED, Map.of("exit_code", "137"));
            }
        }
    }
}
