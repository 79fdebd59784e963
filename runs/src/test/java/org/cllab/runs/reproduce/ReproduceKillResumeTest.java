package org.cllab.runs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.cli.ClRun;
import org.cllab.runs.run.Json;
import org.cllab.runs.sweep.SweepLayout;
import org.cllab.runs.sweep.SweepPlan;
import org.cllab.runs.sweep.SweepRun;
import org.cllab.runs.sweep.WorkerCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, acceptance 4, the approach of {@code SweepKillResumeTest}: {@code cl reproduce} (its own JVM, two worker
 * JVMs) is killed with SIGKILL once one run has finished and another is part-way; rerunning it does not redo the
 * finished runs (their files are byte- and mtime-identical), resumes the interrupted one from its checkpoint, and
 * ends with every figure over all seeds.
 */
@Tag("slow")
class ReproduceKillResumeTest {
    @TempDir
    Path tmp;

    private static final String BASE = """
            run:
              progress: never
            scenario:
              train_limit: 1200
              tasks: 5
            learner:
              hidden: [128]
              epochs: 8
            evaluation:
              modes: [class-incremental]
            """;

    private static final String FILE = """
            title: kill and resume fixture
            expected_wall_minutes: 2
            source: "none (resume test)"
            tolerance: 1.0
            runs:
              - {name: fine, config: base.yaml, seeds: [0, 1, 2, 3]}
            figures:
              - {learner: fine, mode: class-incremental, metric: acc, reference: 0.5}
            """;

    @Test
    void killedReproductionResumesWithoutRedoingFinishedRuns() throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), BASE);
        Path f = tmp.resolve("r.yaml");
        Files.writeString(f, FILE);
        Reproduction r = ReproductionFile.parse(f);
        SweepPlan plan = ReproductionFile.planOf(r.runs().get(0));
        Path out = tmp.resolve("out");
        SweepLayout layout = new SweepLayout(Reproducer.groupDir(out, r.runs().get(0), plan));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerCommand.MAIN,
                "reproduce", f.toString(), "--out", out.toString(), "--workers", "2").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("reproduce.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process parent = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        boolean reached = false;
        while (parent.isAlive() && System.nanoTime() < deadline && !reached) {
            Thread.sleep(20);
            reached = partWay(layout, plan);
        }
        // kill at once (the part-way run may finish a moment later), then check what was reached
        List<ProcessHandle> all = new ArrayList<>(parent.descendants().toList());
        all.add(parent.toHandle());
        all.forEach(ProcessHandle::destroyForcibly); // SIGKILL
        for (ProcessHandle h : all) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
        assertTrue(reached, "one run finished and another part-way: " + Files.readString(tmp.resolve("reproduce.log")));
        int finishedBefore = 0;
        Map<String, String> finishedFiles = new TreeMap<>();
        for (SweepRun run : plan.runs()) {
            if (layout.phase(run.id()) == SweepLayout.Phase.FINISHED) {
                finishedBefore++;
                finishedFiles.putAll(snapshot(layout.runDir(run.id())));
            }
        }
        assertTrue(finishedBefore >= 1 && finishedBefore < plan.runs().size(), "killed part-way: " + finishedBefore);

        ClRun.Result again = ClRun.run("reproduce", f.toString(), "--out", out.toString(), "--workers", "2",
                "--check");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("(" + finishedBefore + " finished before"), again.err());
        Map<String, String> after = new TreeMap<>();
        for (SweepRun run : plan.runs()) {
            after.putAll(snapshot(layout.runDir(run.id())));
        }
        for (Map.Entry<String, String> e : finishedFiles.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "finished run file untouched: " + e.getKey());
        }
        boolean someResumed = false;
        for (SweepRun run : plan.runs()) {
            JsonNode s = Json.MAPPER.readTree(layout.runDir(run.id()).resolve("summary.json").toFile());
            someResumed |= s.path("resumed_after_task").asInt() > 0;
        }
        assertTrue(someResumed, "an interrupted run resumed from its checkpoint");
        assertTrue(again.out().contains("| fine | class-incremental | ACC | 4 (0,1,2,3) |"), again.out());
        System.out.println("finished before the kill: " + finishedBefore + " of " + plan.runs().size());
    }

    private static boolean partWay(SweepLayout layout, SweepPlan plan) throws java.io.IOException {
        boolean finished = false;
        boolean partial = false;
        for (SweepRun r : plan.runs()) {
            SweepLayout.Phase p = layout.phase(r.id());
            finished |= p == SweepLayout.Phase.FINISHED;
            partial |= p == SweepLayout.Phase.PARTIAL
                    && Files.exists(layout.runDir(r.id()).resolve("checkpoints/task-02"));
        }
        return finished && partial;
    }

    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p)));
                out.put(p.toString(), sha + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
