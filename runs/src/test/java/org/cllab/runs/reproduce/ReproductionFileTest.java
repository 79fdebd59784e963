package org.cllab.runs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cllab.runs.cli.ClRun;
import org.cllab.runs.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reproduction files: parsing, defaults, and a one-line error naming the file and the key for every mistake. */
class ReproductionFileTest {
    @TempDir
    Path tmp;

    static final String BASE = """
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

    static final String GOOD = """
            title: tiny
            expected_wall_minutes: 1
            source: "our measurement"
            tolerance: 0.05
            runs:
              - {name: fine, config: base.yaml, seeds: [0, 1], set: {learner: {epochs: 1}}}
            figures:
              - {learner: fine, mode: class-incremental, metric: acc, reference: 0.3}
              - {learner: fine, mode: task-incremental, metric: bwt, reference: -0.1, tolerance: 0.2,
                 source: "paper, table 1", table: "Split MNIST"}
            """;

    Path write(String body) throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), BASE);
        Path f = tmp.resolve("r.yaml");
        Files.writeString(f, body);
        return f;
    }

    @Test
    void parsesGroupsFiguresAndDefaults() throws Exception {
        Reproduction r = ReproductionFile.parse(write(GOOD));
        assertEquals("r", r.name());
        assertEquals(1, r.runs().size());
        Reproduction.RunGroup g = r.runs().get(0);
        assertEquals(tmp.resolve("base.yaml").toAbsolutePath().normalize(), g.config().orElseThrow().toAbsolutePath());
        assertEquals(List.of(0L, 1L), g.seeds());
        assertEquals(Map.of("learner.epochs", 1), g.set());
        assertEquals(2, Reproducer.plannedRuns(g));
        Reproduction.Figure a = r.figures().get(0);
        assertEquals("our measurement", a.source());
        assertEquals(0.05, a.tolerance());
        assertEquals("", a.table());
        Reproduction.Figure b = r.figures().get(1);
        assertEquals("paper, table 1", b.source());
        assertEquals(0.2, b.tolerance());
        assertEquals("fine task-incremental bwt", b.id());
        assertTrue(ReproductionFile.sweepYaml(g).contains("run.progress: never"));
    }

    /** Every mistake: the message is one line "FILE: key: reason", naming the key. */
    @Test
    void mistakesNameFileAndKey() throws Exception {
        String[][] cases = {
            {GOOD.replace("title: tiny", "titel: tiny"), "titel"},
            {GOOD.replace("expected_wall_minutes: 1", "expected_wall_minutes: soon"), "expected_wall_minutes"},
            {GOOD.replace("tolerance: 0.05", "tolerance: -1"), "tolerance"},
            {GOOD.replace("seeds: [0, 1]", "seeds: [0, x]"), "runs[0].seeds"},
            {GOOD.replace("config: base.yaml", "config: nope.yaml"), "runs[0].config"},
            {GOOD.replace("config: base.yaml", "config: base.yaml, sweep: base.yaml"), "runs[0]"},
            {GOOD.replace("{name: fine,", "{name: fine, colour: red,"), "runs[0].colour"},
            {GOOD.replace("learner: {epochs: 1}", "learner: {epochz: 1}"), "runs[0] (fine)"},
            {GOOD.replace("learner: {epochs: 1}", "learner: {epochs: many}"), "runs[0] (fine)"},
            {GOOD.replace("{learner: fine, mode: class", "{learner: coarse, mode: class"), "figures[0].learner"},
            {GOOD.replace("metric: acc", "metric: accuracy"), "figures[0].metric"},
            {GOOD.replace("reference: 0.3", "reference: high"), "figures[0].reference"},
            {GOOD.replace("reference: 0.3", "reference: 0.3, colour: red"), "figures[0].colour"},
            {GOOD.replace("source: \"our measurement\"\n", ""), "figures[0].source"},
            {GOOD.replace("figures:", "figures: []\nx:").replaceAll("(?s)\nx:.*", ""), "figures"},
        };
        for (String[] c : cases) {
            Path f = write(c[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> ReproductionFile.parse(f), c[1]);
            assertTrue(e.getMessage().startsWith(f + ": " + c[1] + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theCommandExitsTwoWithTheOneLineError() throws Exception {
        Path f = write(GOOD.replace("metric: acc", "metric: accuracy"));
        ClRun.Result r = ClRun.run("reproduce", f.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals(f + ": figures[0].metric: unknown metric 'accuracy' (allowed: acc, bwt, forgetting)",
                r.err().strip());
        ClRun.Result unknown = ClRun.run("reproduce", "no-such-reproduction");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("reproduce: no-such-reproduction: no reproduction of that name"),
                unknown.err());
    }

    /** Every committed reproduction file is valid (its runs planned) and every results page it names exists. */
    @Test
    void committedReproductionsAreValid() throws Exception {
        Path dir = Path.of("reproductions");
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 6, files.toString());
        for (Path f : files) {
            Reproduction r = ReproductionFile.parse(f);
            r.page().ifPresent(p -> assertTrue(Files.isRegularFile(Path.of("..").resolve(p)), f + ": " + p));
        }
    }
}
