package org.cllab.runs.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path p = dir.resolve("c.yaml");
        Files.writeString(p, text);
        return p;
    }

    private ConfigException fails(String text, String... sets) throws IOException {
        Path p = yaml(text);
        return assertThrows(ConfigException.class, () -> new ConfigLoader().load(p, List.of(sets)));
    }

    @Test
    void defaultsResolveEveryKeyTheDefaultTypesUse() {
        RunConfig c = new ConfigLoader().load(null, List.of());
        assertEquals(ConfigSchema.standard().usedKeys(c.getString("scenario.type"), c.getString("learner.type"))
                .size(), c.values().size());
        assertEquals("finetune", c.getString("learner.type"));
        assertArrayEquals(new int[] {400, 400}, c.getIntArray("learner.hidden"));
        assertTrue(c.getOptionalLong("learner.seed").isEmpty());
    }

    @Test
    void nestedYamlIsRead() throws IOException {
        RunConfig c = new ConfigLoader().load(yaml("learner:\n  lr: 0.05\n  hidden: [100, 100, 50]\n"
                + "scenario:\n  tasks: 2\n  seed: 7\n"), List.of());
        assertEquals(0.05, c.getDouble("learner.lr"));
        // Commons Configuration's typed getList drops duplicates; the loader must not
        assertArrayEquals(new int[] {100, 100, 50}, c.getIntArray("learner.hidden"));
        assertEquals(7L, c.getOptionalLong("scenario.seed").orElseThrow());
    }

    @Test
    void integerAcceptedForNumber() throws IOException {
        assertEquals(1.0, new ConfigLoader().load(yaml("learner:\n  lr: 1\n"), List.of()).getDouble("learner.lr"));
    }

    @Test
    void unknownKeyNamesFileAndKeyAndSuggests() throws IOException {
        ConfigException e = fails("learner:\n  hiden: [10]\n");
        assertEquals(dir.resolve("c.yaml") + ": learner.hiden: unknown key (did you mean learner.hidden?)",
                e.getMessage());
        assertEquals("learner.hiden", e.key());
    }

    @Test
    void wrongTypes() throws IOException {
        assertEquals("learner.lr: expected a number, got string 'fast'",
                strip(fails("learner:\n  lr: fast\n").getMessage()));
        assertEquals("scenario.tasks: expected a integer, got number 2.5",
                strip(fails("scenario:\n  tasks: 2.5\n").getMessage()));
        assertEquals("learner.hidden: expected a list of integers, but entry string 'x' is not",
                strip(fails("learner:\n  hidden: [10, x]\n").getMessage()));
        assertEquals("run.checkpoints: expected a boolean, got string 'maybe'",
                strip(fails("run:\n  checkpoints: maybe\n").getMessage()));
    }

    private String strip(String msg) {
        return msg.substring(msg.indexOf(": ") + 2);
    }

    private static void assertContains(String msg, String expected) {
        assertTrue(msg.contains(expected), "expected '" + expected + "' in: " + msg);
    }

    @Test
    void impossibleValues() throws IOException {
        assertContains(fails("learner:\n  lr: 0\n").getMessage(), "learner.lr: must be > 0, got 0.0");
        assertContains(fails("learner:\n  hidden: [10, 0]\n").getMessage(), "learner.hidden: all entries must be > 0");
        assertContains(fails("scenario:\n  tasks: 6\n").getMessage(), "scenario.tasks: 6 tasks x 2 classes per "
                + "task need 12 classes");
        assertContains(fails("learner:\n  type: ewk\n").getMessage(), "learner.type: unknown value 'ewk' (allowed:");
        assertContains(fails("scenario:\n  mode: task-incremental\nevaluation:\n  modes: [class-incremental]\n").getMessage(), "evaluation.modes: a finetune learner trained task-incremental cannot be "
                        + "evaluated class-incremental");
        assertContains(fails("scenario:\n  type: rotated\n  rotations: [0, 90]\n").getMessage(), "scenario.rotations: lists 2 angles for 5 tasks");
    }

    @Test
    void overridesWinAndAreValidated() throws IOException {
        Path p = yaml("learner:\n  lr: 0.05\n");
        RunConfig c = new ConfigLoader().load(p, List.of("learner.lr=0.2", "learner.hidden=[8,8]"));
        assertEquals(0.2, c.getDouble("learner.lr"));
        assertArrayEquals(new int[] {8, 8}, c.getIntArray("learner.hidden"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(p, List.of("learner.lrr=1")));
        assertEquals("--set: learner.lrr: unknown key (did you mean learner.lr?)", e.getMessage());
        assertThrows(ConfigException.class, () -> new ConfigLoader().load(p, List.of("learner.lr")));
    }

    @Test
    void missingAndMalformedFiles() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(dir.resolve("nope.yaml"), List.of()));
        assertTrue(e.getMessage().endsWith("nope.yaml: (file): config file not found"));
        ConfigException m = fails("learner: [1\n");
        assertTrue(m.getMessage().contains("not valid YAML"));
        assertFalse(m.getMessage().contains("\n"), "one line");
    }

    @Test
    void hashIsCanonical() throws IOException {
        RunConfig a = new ConfigLoader().load(yaml("learner:\n  lr: 0.001\n"), List.of());
        RunConfig b = new ConfigLoader().load(null, List.of());
        assertEquals(a.toYaml(), b.toYaml(), "an explicit default equals the implicit one");
        assertEquals(a.hash(), b.hash());
        assertNotEquals(a.hash(), new ConfigLoader().load(null, List.of("learner.lr=0.002")).hash());
    }

    @Test
    void resolvedYamlLoadsBackToTheSameConfig() throws IOException {
        RunConfig a = new ConfigLoader().load(null, List.of("learner.hidden=[3,3]", "run.name=x \"y\"",
                "scenario.rotations=[1.5, 2]", "scenario.type=rotated", "scenario.tasks=2"));
        RunConfig b = new ConfigLoader().load(yaml(a.toYaml()), List.of());
        assertEquals(a.toYaml(), b.toYaml());
    }
}
