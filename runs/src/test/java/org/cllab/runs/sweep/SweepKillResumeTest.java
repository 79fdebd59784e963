package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.cli.ClRun;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 3: a local sweep (its own JVM, two worker JVMs) is killed with SIGKILL, parent and workers,
 * once one run has finished and another is part-way; rerunning it does not redo the finished runs (their files are
 * byte- and mtime-identical), resumes the interrupted ones, and writes report files byte-identical to those of an
 * uninterrupted sweep.
 */
@Tag("slow")
class SweepKillResumeTest {
    @TempDir
    Path tmp;

    /** 8 epochs: on a quiet machine 2-epoch runs ended between "part-way" and the kill, and none was resumed. */
    private static final String SWEEP = """
            base: base.yaml
            set: {scenario.train_limit: 1200, learner.hidden: [128], scenario.tasks: 5, learner.epochs: 8}
            learners: [finetune, ewc]
            seeds: [0, 1]
            """;

    @Test
    void killedSweepResumesWithoutRedoingFinishedRunsAndGivesTheSameReport() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", SWEEP);
        SweepPlan plan = SweepRunner.plan(f);
        Path dir = tmp.resolve("killed");
        SweepLayout layout = new SweepLayout(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), WorkerCommand.MAIN, "sweep", f.toString(), "--out",
                dir.toString(), "--workers", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("sweep.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process parent = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (parent.isAlive() && System.nanoTime() < deadline && !partWay(layout, plan)) {
            Thread.sleep(20);
        }
        assertTrue(partWay(layout, plan), "one run finished and another part-way: "
                + Files.readString(tmp.resolve("sweep.log")));
        List<ProcessHandle> all = new ArrayList<>(parent.descendants().toList());
        all.add(parent.toHandle());
        assertTrue(all.size() >= 2, "parent and at least one worker alive");
        all.forEach(ProcessHandle::destroyForcibly); // SIGKILL, no chance to clean up
        for (ProcessHandle h : all) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
        System.out.println("killed parent + " + (all.size() - 1) + " worker(s)");
        int finishedBefore = 0;
        for (SweepRun r : plan.runs()) {
            finishedBefore += layout.phase(r.id()) == SweepLayout.Phase.FINISHED ? 1 : 0;
        }
        assertTrue(finishedBefore >= 1 && finishedBefore < plan.runs().size(),
                "killed part-way: " + finishedBefore);
        Map<String, String> finishedFiles = SweepRunnerTest.snapshot(layout, plan, null);
        finishedFiles.keySet().removeIf(k -> plan.runs().stream().anyMatch(r -> {
            try {
                return k.startsWith("runs/" + r.id() + "/") && layout.phase(r.id()) != SweepLayout.Phase.FINISHED;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));

        ClRun.Result again = ClRun.run("sweep", f.toString(), "--out", dir.toString(), "--workers", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("(" + finishedBefore + " finished before"), again.err());
        Map<String, String> after = SweepRunnerTest.snapshot(layout, plan, null);
        for (Map.Entry<String, String> e : finishedFiles.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "finished run file untouched: " + e.getKey());
        }
        boolean someResumed = false;
        for (SweepRun r : plan.runs()) {
            JsonNode s = Json.MAPPER.readTree(layout.runDir(r.id()).resolve("summary.json").toFile());
            someResumed |= s.path("resumed_after_task").asInt() > 0;
            try (var w = Files.walk(layout.runDir(r.id()))) {
                assertFalse(w.anyMatch(p -> p.getFileName().toString().contains(".tmp-")
                        || p.getFileName().toString().startsWith(".partial")), "no half-written file in " + r.id());
            }
        }
        assertTrue(someResumed, "an interrupted run resumed from its checkpoint");
        System.out.println("finished before the kill: " + finishedBefore + " of " + plan.runs().size());

        Path ref = tmp.resolve("uninterrupted");
        ClRun.Result refRun = ClRun.run("sweep", f.toString(), "--out", ref.toString(), "--workers", "2");
        assertEquals(0, refRun.code(), refRun.err());
        for (String file : List.of("results.md", "results.csv", "results.tex")) {
            assertEquals(Files.readString(ref.resolve("report").resolve(file)),
                    Files.readString(layout.reportDir().resolve(file)), file + " equals the uninterrupted sweep's");
        }
    }

    /** At least one run finished and at least one other run has a task-2 checkpoint but no summary. */
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
}
