package org.cllab.runs;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root in tests: surefire passes {@code cllab.repo.root}; otherwise the module's parent. */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path path() {
        String p = System.getProperty("cllab.repo.root");
        if (p != null && Files.exists(Path.of(p, "docs"))) {
            return Path.of(p);
        }
        return Path.of("..").toAbsolutePath().normalize();
    }
}
