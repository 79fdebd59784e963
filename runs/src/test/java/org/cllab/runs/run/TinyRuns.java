package org.cllab.runs.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
}
