package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.report.RunCollector;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.ResolvedConfigFile;
import org.cllab.runs.run.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic finished sweep directories, the fast config reader and the resume scan over them. */
class SyntheticRunsTest {
    @TempDir
    Path tmp;

    @Test
    void aSyntheticSweepIsFinishedForTheRunnerAndTheReport() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", """
                base: base.yaml
                learners: [finetune, ewc]
                grid: {learner.lr: [0.01, 0.001]}
                seeds: [0, 1, 2, 3, 4]
                """);
        Path dir = tmp.resolve("sweep");
        SweepPlan plan = SyntheticRuns.generate(f, dir, 7);
        assertEquals(20, plan.runs().size());
        for (SweepRun r : plan.runs()) {
            Path d = dir.resolve("runs").resolve(r.id());
            JsonNode s = Summary.readFinished(d);
            assertTrue(s != null && s.path("evaluations").size() > 0, d.toString());
            assertEquals(r.config().toYaml(), Files.readString(d.resolve("config.yaml")));
            assertTrue(Json.MAPPER.readTree(d.resolve("provenance.json").toFile()).path("synthetic").asBoolean());
            assertTrue(SweepLayout.finished(d.resolve(Summary.FILE)));
        }
        assertThrows(ConfigException.class, () -> SyntheticRuns.generate(f, dir, 7), "not empty");

        InProcessExecutor ex = new InProcessExecutor(Set.of());
        PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SweepRunner.Result r = new SweepRunner(ex, new ExecutorOptions(1, 0), console, false).run(f, dir);
        assertEquals(0, ex.executed(), "nothing to run");
        assertEquals(20, r.skipped());
        assertTrue(r.allFinished());
        assertTrue(r.report().stream().anyMatch(p -> p.getFileName().toString().equals("results.md")));
        assertEquals(20, RunCollector.collect(dir.resolve("runs")).size());
        JsonNode index = Json.MAPPER.readTree(dir.resolve("sweep-index.json").toFile());
        assertEquals(20, index.path("counts").path("finished").asInt(), index.path("counts").toString());
    }

    @Test
    void theFastReaderAgreesWithTheLoaderAndFallsBackToItsErrors() throws Exception {
        RunConfig c = new ConfigLoader().load(null, List.of("learner.type=ewc", "learner.lr=0.003", "run.seed=5"));
        Path canonical = Files.writeString(tmp.resolve("config.yaml"), c.toYaml());
        ResolvedConfigFile reader = new ResolvedConfigFile();
        assertEquals(c.values(), reader.read(canonical).values());
        Path edited = Files.writeString(tmp.resolve("edited.yaml"), "learner: {type: ewc, lr: 0.003}\nrun: {seed: 5}\n");
        assertEquals(c.values(), reader.read(edited).values(), "a non-canonical file: the loader's result");
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "learner: {type: ewc, lr: fast}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> reader.read(bad));
        assertEquals("learner.lr", e.key());
        assertEquals(bad.toString(), e.source(), "the loader's one-line error naming the file");
    }

    @Test
    void aTruncatedOrUnfinishedSummaryIsNotFinished() throws Exception {
        assertTrue(!SweepLayout.finished(Files.writeString(tmp.resolve("a.json"), "{\"finished\": true, \"x\": [1,")));
        assertTrue(!SweepLayout.finished(Files.writeString(tmp.resolve("b.json"), "{\"finished\": false}")));
        assertTrue(!SweepLayout.finished(tmp.resolve("missing.json")));
        assertTrue(SweepLayout.finished(Files.writeString(tmp.resolve("c.json"), "{\"w\": {\"finished\": false}, "
                + "\"finished\": true}")));
    }
}
