package org.cllab.core.spi;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model-zoo builder and its offline experiment, found with {@link java.util.ServiceLoader} (list the
 * implementation in {@code META-INF/services/org.cllab.core.spi.ZooModule}). {@code cl zoo build CONFIG --out DIR} and
 * {@code cl zoo evaluate CONFIG --zoo DIR --out FILE} pick the module whose {@link #name()} is the config's
 * {@code zoo.type}; the CLI names none. Config keys arrive flattened ({@code zoo.tasks}, {@code generator.latent});
 * a bad key is a {@link SettingProblem}, a corrupt or mismatched zoo a {@link ZooProblem}.
 */
public interface ZooModule {
    /** The value of {@code zoo.type} that selects this module. */
    String name();

    /** One line for {@code cl zoo --help}. */
    String doc();

    /** Builds the zoo into {@code out}, resuming a partial one built from the same settings. */
    void build(Map<String, Object> config, Path out, PrintStream progress) throws IOException;

    /** Runs the module's experiment on the zoo {@code zoo} and writes its results to {@code out}. */
    void evaluate(Map<String, Object> config, Path zoo, Path out, PrintStream progress) throws IOException;

    /** A corrupt or mismatched zoo: one line naming the file. */
    final class ZooProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ZooProblem(Path file, String message) {
            super(file + ": " + message);
        }
    }
}
