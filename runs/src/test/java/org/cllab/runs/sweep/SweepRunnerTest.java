package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep runner with an in-process executor: index, skip, resume, directory checks, report. */
class SweepRunnerTest {
    @TempDir
    Path tmp;

    private static final String SWEEP = """
            base: base.yaml
            learners: [finetune, ewc]
            seeds: [0, 1]
            """;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private SweepRunner runner(SweepExecutor e) {
        return new SweepRunner(e, new ExecutorOptions(1, 1), new PrintStream(console, true, StandardCharsets.UTF_8),
                false);
    }

    @Test
    void finishedRunsAreSkippedAndUntouchedPartRunsResume() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", SWEEP);
        SweepPlan plan = SweepRunner.plan(f);
        String partial = plan.runs().get(2).id();
        Path dir = tmp.resolve("sweep");

        // session 1: run 3 is stopped at task 3 (after its task-2 checkpoint)
        InProcessExecutor first = new InProcessExecutor(Set.of(partial));
        SweepRunner.Result r1 = runner(first).run(f, dir);
        assertEquals(List.of(partial), r1.failed());
        assertEquals(3, r1.finished());
        SweepLayout layout = new SweepLayout(dir);
        assertEquals(SweepLayout.Phase.PARTIAL, layout.phase(partial));
        JsonNode index = Json.MAPPER.readTree(layout.index().toFile());
        assertEquals(plan.hash(), index.get("sweep_hash").asText());
        assertEquals("failed", index.path("runs").path(partial).path("status").asText());
        assertEquals("137", index.path("runs").path(partial).path("info").path("exit_code").asText());
        assertEquals(3, index.path("counts").path("finished").asInt());
        assertEquals("ewc", index.path("runs").path(partial).path("learner").asText());
        assertEquals(0, index.path("runs").path(partial).path("seed").asInt());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("FAILED (exit code 137)"), console.toString());
        Map<String, String> before = snapshot(layout, plan, partial);

        // session 2: only the partial run is handed to the executor; it resumes after task 2
        InProcessExecutor second = new InProcessExecutor(Set.of());
        SweepRunner.Result r2 = runner(second).run(f, dir);
        assertEquals(1, second.executed());
        assertTrue(r2.allFinished());
        assertEquals(3, r2.skipped());
        JsonNode summary = Json.MAPPER.readTree(layout.runDir(partial).resolve("summary.json").toFile());
        assertEquals(2, summary.get("resumed_after_task").asInt(), "resumed from the task-2 checkpoint");
        assertEquals(before, snapshot(layout, plan, partial), "finished runs' files untouched (content and mtime)");
        assertEquals("finished", Json.MAPPER.readTree(layout.index().toFile()).path("runs").path(partial)
                .path("status").asText());

        // the resumed run has the accuracy matrix of an uninterrupted run
        Path ref = tmp.resolve("ref");
        SweepRunner.Result rr = runner(new InProcessExecutor(Set.of())).run(f, ref);
        assertTrue(rr.allFinished());
        JsonNode refSummary = Json.MAPPER.readTree(new SweepLayout(ref).runDir(partial).resolve("summary.json")
                .toFile());
        assertEquals(refSummary.path("evaluations"), summary.path("evaluations"));
        for (String file : List.of("results.md", "results.csv", "results.tex")) {
            assertEquals(Files.readString(layout.reportDir().resolve(file)),
                    Files.readString(new SweepLayout(ref).reportDir().resolve(file)), file);
        }
        String md = Files.readString(layout.reportDir().resolve("results.md"));
        assertTrue(md.contains("| finetune | 2 (0,1) |") && md.contains("| ewc | 2 (0,1) |"), md);

        // session 3: nothing to do
        InProcessExecutor third = new InProcessExecutor(Set.of());
        SweepRunner.Result r3 = runner(third).run(f, dir);
        assertEquals(0, third.executed());
        assertEquals(4, r3.skipped());
    }

    @Test
    void anotherSweepOrAForeignDirectoryIsRefusedWithoutWriting() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", "base: base.yaml\nseeds: [0]\nset: {scenario.tasks: 2}\n");
        Path dir = tmp.resolve("sweep");
        runner(new InProcessExecutor(Set.of())).run(f, dir);
        byte[] index = Files.readAllBytes(new SweepLayout(dir).index());

        Path g = SweepFixtures.write(tmp.resolve("g"), "s.yaml",
                "base: base.yaml\nseeds: [1]\nset: {scenario.tasks: 2}\n");
        InProcessExecutor e = new InProcessExecutor(Set.of());
        ConfigException ex = assertThrows(ConfigException.class, () -> runner(e).run(g, dir));
        assertTrue(ex.getMessage().startsWith("--out: " + dir + ": holds a different sweep (sweep hash "),
                ex.getMessage());
        assertEquals(0, e.executed());
        assertEquals(HexFormat.of().formatHex(index),
                HexFormat.of().formatHex(Files.readAllBytes(new SweepLayout(dir).index())));

        // execution settings may change: same runs, other devices/SLURM limits
        Path h = SweepFixtures.write(tmp.resolve("h"), "s.yaml", "base: base.yaml\nseeds: [0]\n"
                + "set: {scenario.tasks: 2}\nslurm: {max_concurrent: 2}\n");
        assertEquals(1, runner(new InProcessExecutor(Set.of())).run(h, dir).skipped());

        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        ConfigException ex2 = assertThrows(ConfigException.class,
                () -> runner(new InProcessExecutor(Set.of())).run(f, foreign));
        assertTrue(ex2.getMessage().contains("is not a sweep directory"), ex2.getMessage());
        try (var s = Files.list(foreign)) {
            assertEquals(1, s.count(), "nothing written");
        }
    }

    @Test
    void aDirectoryInUseByAnotherSweepProcessIsRefused() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", "base: base.yaml\nseeds: [0]\nset: {scenario.tasks: 2}\n");
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        SweepLayout layout = new SweepLayout(dir);
        try (var ch = java.nio.channels.FileChannel.open(layout.lockFile(), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
            InProcessExecutor e = new InProcessExecutor(Set.of());
            ConfigException ex = assertThrows(ConfigException.class, () -> runner(e).run(f, dir));
            assertEquals("--out: " + dir + ": another sweep process is running in this directory", ex.getMessage());
            assertEquals(0, e.executed());
            assertFalse(Files.exists(layout.index()));
        }
    }

    @Test
    void staleTemporaryFilesOfDeadWorkersAreRemoved() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run/checkpoints/.partial-task-03-999999999"));
        Path tmpFile = tmp.resolve("run/.metrics.csv.tmp-999999999");
        Files.writeString(tmpFile, "half");
        Path live = tmp.resolve("run/.summary.json.tmp-" + ProcessHandle.current().pid());
        Files.writeString(live, "being written");
        Path keep = tmp.resolve("run/metrics.csv");
        Files.writeString(keep, "whole");
        SweepRunner.removeStaleFiles(tmp.resolve("run"));
        assertFalse(Files.exists(run));
        assertFalse(Files.exists(tmpFile));
        assertTrue(Files.exists(live), "a live process's temporary file stays");
        assertTrue(Files.exists(keep));
    }

    /** Path to SHA-256 + mtime of every file of every run except {@code except}. */
    static Map<String, String> snapshot(SweepLayout layout, SweepPlan plan, String except) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (SweepRun r : plan.runs()) {
            if (r.id().equals(except) || !Files.isDirectory(layout.runDir(r.id()))) {
                continue;
            }
            try (var s = Files.walk(layout.runDir(r.id()))) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p)));
                    out.put(layout.root().relativize(p).toString(), sha + " " + Files.getLastModifiedTime(p));
                }
            }
        }
        return out;
    }
}
