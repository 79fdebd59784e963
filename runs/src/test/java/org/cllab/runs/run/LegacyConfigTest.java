package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory written before learners became plug-ins holds a {@code config.yaml} with every learner's keys; it
 * is still recognised as the same run (so it resumes and reports), and a different value of a used key is not.
 */
class LegacyConfigTest {
    @TempDir
    Path tmp;

    private static String legacy(RunConfig c, String extra) {
        // the old canonical form: the learner section also listed the keys of every other learner type
        return c.toYaml().replace("  reset_optimizer: true\n", "  reset_optimizer: true\n" + extra);
    }

    @Test
    void anOldConfigWithEveryLearnersKeysIsTheSameRun() throws IOException {
        RunConfig c = new ConfigLoader().load(null, List.of("learner.type=finetune"));
        Path stored = tmp.resolve("config.yaml");
        String old = legacy(c, "  ewc:\n    lambda: 1000.0\n    gamma: 1.0\n  hnet:\n    hidden: [100, 100]\n");
        Files.writeString(stored, old);
        assertTrue(!old.equals(c.toYaml()) && old.contains("gamma"), "fixture differs from the new form");
        assertTrue(RunExecutor.sameConfig(stored, c));
        assertTrue(new ConfigLoader().loadStored(stored).ignoredKeys().isEmpty());

        Files.writeString(stored, legacy(c, "  ewc:\n    lambda: 1000.0\n").replace("lr: 0.001", "lr: 0.002"));
        assertFalse(RunExecutor.sameConfig(stored, c), "a used key with another value is another run");
    }
}
