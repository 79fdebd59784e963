package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;

/** Small, fast configs on the bundled MNIST digits for runner tests. */
public final class TinyRuns {
    private TinyRuns() {
    }

    public static final List<String> TINY = List.of("scenario.train_limit=150", "learner.hidden=[16]",
            "learner.epochs=2", "learner.batch_size=32", "evaluation.modes=[class-incremental, task-incremental]",
            "run.progress=never");

    public static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(TINY);
        sets.addAll(Arrays.asList(extra));
        return new ConfigLoader().load(null, sets);
    }

    /**
     * Arguments of {@code cl run} for the tiny config (an empty config file in {@code tmp} plus {@link #TINY} and
     * {@code extra} as {@code --set}s) into {@code out}.
     */
    public static String[] clArgs(Path tmp, Path out, String... extra) throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.yaml"), "{}\n");
        List<String> a = new ArrayList<>(List.of("run", empty.toString(), "--out", out.toString()));
        List<String> sets = new ArrayList<>(TINY);
        sets.addAll(Arrays.asList(extra));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return a.toArray(new String[0]);
    }

    /** A listener that throws (a simulated crash) at the boundary after {@code tasks} tasks. */
    public static ProtocolListener crashAfter(int tasks) {
        return new ProtocolListener() {
            @Override
            public void onBoundary(ProtocolState state) {
                if (state.tasksDone() == tasks) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
    }
}
