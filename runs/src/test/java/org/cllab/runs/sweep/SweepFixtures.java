package org.cllab.runs.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny sweep files on the bundled MNIST digits for tests. */
final class SweepFixtures {
    private SweepFixtures() {
    }

    /** A base run config of a few seconds (TinyRuns.TINY as YAML). */
    static final String TINY_BASE = """
            run:
              progress: never
            scenario:
              train_limit: 150
            learner:
              hidden: [16]
              epochs: 2
              batch_size: 32
            evaluation:
              modes: [class-incremental, task-incremental]
            """;

    /** Writes {@code base.yaml} (tiny) and {@code name} with {@code body} into {@code dir}; returns the sweep file. */
    static Path write(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("base.yaml"), TINY_BASE);
        Path f = dir.resolve(name);
        Files.writeString(f, body);
        return f;
    }
}
