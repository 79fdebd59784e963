package org.cllab.runs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.sweep.SweepFile;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/config.md} must be exactly what the schema generates. To regenerate after changing the schema:
 * {@code ./cl config-doc > docs/config.md}.
 */
class ConfigDocTest {
    @Test
    void docsMatchSchema() throws IOException {
        Path doc = RepoRoot.path().resolve("docs/config.md");
        assertTrue(Files.exists(doc), "docs/config.md is missing; generate it with ./cl config-doc > docs/config.md");
        assertEquals(ConfigSchema.standard().markdown() + "\n" + SweepFile.markdown() + "\n"
                        + org.cllab.runs.reproduce.ReproductionFile.markdown(), Files.readString(doc),
                "docs/config.md is out of date: regenerate with ./cl config-doc > docs/config.md");
    }

    @Test
    void everyKeyIsDocumented() {
        String md = ConfigSchema.standard().markdown();
        for (ConfigKey k : ConfigSchema.standard().keys()) {
            assertTrue(md.contains("| `" + k.name() + "` |"), k.name());
            assertTrue(k.description().length() > 10, "meaningful description for " + k.name());
        }
    }
}
