package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When only the sweep process is killed (SIGKILL, no shutdown hook), its workers notice ({@link ParentWatch}) and
 * end, so that a rerun never shares a run directory with an orphaned worker.
 */
@Tag("slow")
class OrphanedWorkerTest {
    @TempDir
    Path tmp;

    @Test
    void workersEndWhenTheSweepProcessIsKilled() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", """
                base: base.yaml
                set: {scenario.train_limit: 1200, learner.hidden: [128], learner.epochs: 20}
                seeds: [0]
                """);
        Path dir = tmp.resolve("sweep");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                WorkerCommand.MAIN, "sweep", f.toString(), "--out", dir.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sweep.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process parent = pb.start();
        String id = SweepRunner.plan(f).runs().get(0).id();
        Path started = dir.resolve("runs").resolve(id).resolve("provenance.json"); // written by the worker
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!Files.exists(started) && parent.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(started), "worker started: " + Files.readString(tmp.resolve("sweep.log")));
        List<ProcessHandle> workers = parent.descendants().toList();
        assertFalse(workers.isEmpty(), "a worker process");
        parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle w : workers) {
            try {
                w.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                w.destroyForcibly();
                throw new AssertionError("worker " + w.pid() + " still running 30 s after its sweep was killed");
            }
        }
        assertFalse(Files.exists(dir.resolve("runs").resolve(id).resolve("summary.json")), "stopped before the end");
        assertTrue(Files.readString(dir.resolve("runs").resolve(id).resolve("worker.err"))
                .contains("is gone; stopping this worker"));
    }
}
