package org.cllab.runs.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.cli.Cl;
import org.cllab.runs.cli.ClRun;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.Summary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cl sweep --executor slurm} against the real one-node cluster of {@code scripts/start-slurm.sh}
 * ({@code SLURM_CONF} exported; {@code .ci/run} does this). Nothing about SLURM is mocked: the sweep submits a real
 * job array, slurmd runs the workers, the test reads what they wrote.
 */
@Tag("slurm")
class SlurmSweepTest {
    private static final long WAIT_SECONDS = 900;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cluster() {
        String conf = System.getenv("SLURM_CONF");
        assertTrue(conf != null && Files.isRegularFile(Path.of(conf)),
                "SLURM_CONF must name the test cluster's slurm.conf: eval \"$(scripts/start-slurm.sh)\"");
        new SlurmClient().ping();
    }

    private static Path demo() {
        return RepoRoot.path().resolve("runs/configs/sweep-demo.yaml");
    }

    private static List<Path> runDirs(Path sweep) throws Exception {
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Acceptance 2: the demo sweep on SLURM ends with 8 finished runs whose provenance names their array tasks. */
    @Test
    void demoSweepFinishesEightRunsThatRecordTheirArrayTasks() throws Exception {
        Path out = tmp.resolve("demo");
        assertEquals(0, Cl.execute("sweep", demo().toString(), "--out", out.toString(), "--executor", "slurm"));

        SubmissionLog log = SubmissionLog.read(out);
        assertEquals(1, log.submissions().size(), "one array, no retries needed");
        long arrayJob = log.submissions().get(0).jobId();
        List<Path> dirs = runDirs(out);
        assertEquals(8, dirs.size());
        Set<Integer> taskIds = new HashSet<>();
        Set<Long> jobIds = new HashSet<>();
        JsonNode index = Json.MAPPER.readTree(out.resolve("sweep-index.json").toFile());
        for (Path d : dirs) {
            assertTrue(Summary.readFinished(d) != null, d + " finished");
            JsonNode slurm = Json.MAPPER.readTree(d.resolve("provenance.json").toFile()).path("slurm");
            assertEquals(arrayJob, slurm.path("array_job_id").asLong(), slurm.toString());
            taskIds.add(slurm.path("array_task_id").asInt(-1));
            jobIds.add(slurm.path("job_id").asLong());
            String id = d.getFileName().toString();
            assertEquals(id, log.submissions().get(0).runs().get(slurm.path("array_task_id").asInt()),
                    "the task list maps the task to this run");
            JsonNode entry = index.path("runs").path(id);
            assertEquals("finished", entry.path("status").asText());
            assertEquals(Long.toString(arrayJob), entry.path("info").path("slurm_job_id").asText());
            assertEquals(slurm.path("array_task_id").asText(), entry.path("info").path("slurm_array_task_id").asText());
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), taskIds);
        assertEquals(8, jobIds.size(), "every task ran as its own SLURM job");
        assertTrue(new SlurmClient().queue(arrayJob).isEmpty());

        // resume: a rerun skips the 8 finished runs and submits nothing
        assertEquals(0, Cl.execute("sweep", demo().toString(), "--out", out.toString(), "--executor", "slurm"));
        assertEquals(1, SubmissionLog.read(out).submissions().size(), "nothing resubmitted");
    }

    /**
     * The worker of a run is killed (SIGKILL, as an out-of-memory kill or a node crash would) after its first
     * task-boundary checkpoint: SLURM reports the task FAILED, the executor resubmits that index as a new array,
     * and the second attempt resumes from the checkpoint and finishes.
     */
    @Test
    void aFailedTaskIsResubmittedAndResumesFromItsCheckpoint() throws Exception {
        Path sweep = tmp.resolve("one.yaml");
        Files.writeString(sweep, "base: " + RepoRoot.path().resolve("runs/configs/split-mnist-finetune.yaml") + "\n"
                + "set:\n  learner.hidden: [100]\n  learner.epochs: 3\n  run.progress: never\n"
                + "seeds: [0]\nslurm:\n  max_retries: 1\n  mem: 2G\n  time: \"00:20:00\"\n");
        Path out = tmp.resolve("retry");
        CompletableFuture<Integer> sweepRun = CompletableFuture.supplyAsync(() -> Cl.execute("sweep",
                sweep.toString(), "--out", out.toString(), "--executor", "slurm"));

        Path runDir = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (runDir == null || !Files.exists(runDir.resolve("checkpoints/task-01"))) {
            assertFalse(sweepRun.isDone(), "the sweep ended before the worker could be killed");
            assertTrue(System.nanoTime() < deadline, "no checkpoint within " + WAIT_SECONDS + " s");
            if (runDir == null && Files.isDirectory(out.resolve("runs"))) {
                runDir = runDirs(out).stream().findFirst().orElse(null);
            }
            Thread.sleep(20);
        }
        String marker = "\0--out\0" + runDir.toAbsolutePath() + "\0";
        Optional<ProcessHandle> worker = ProcessHandle.allProcesses()
                .filter(p -> cmdline(p).contains(marker) && cmdline(p).contains("\0org.cllab.runs.cli.Cl\0run\0"))
                .findFirst();
        assertTrue(worker.isPresent(), "the worker JVM of " + runDir + " runs on this machine (slurmd)");
        worker.get().destroyForcibly();
        assertFalse(Files.exists(runDir.resolve(Summary.FILE)), "killed before it finished");

        assertEquals(0, sweepRun.get(WAIT_SECONDS, TimeUnit.SECONDS), "the sweep ends with every run finished");
        JsonNode summary = Summary.readFinished(runDir);
        assertTrue(summary != null, "finished after the resubmission");
        assertTrue(summary.path("resumed_after_task").asInt() >= 1, "resumed from a checkpoint: " + summary);

        List<SubmissionLog.Submission> subs = SubmissionLog.read(out).submissions();
        assertEquals(2, subs.size(), "the first array and one resubmission");
        assertEquals(2, subs.get(1).attempt());
        assertEquals(List.of(0), List.copyOf(subs.get(1).runs().keySet()), "only the failed index");
        JsonNode sessions = Json.MAPPER.readTree(runDir.resolve("provenance.json").toFile()).path("sessions");
        assertEquals(2, sessions.size(), "two worker sessions: " + sessions);
        List<Long> arrays = new ArrayList<>();
        for (JsonNode s : sessions) {
            arrays.add(s.path("slurm").path("array_job_id").asLong());
            assertEquals(0, s.path("slurm").path("array_task_id").asInt(-1));
        }
        assertEquals(List.of(subs.get(0).jobId(), subs.get(1).jobId()), arrays);
        JsonNode entry = Json.MAPPER.readTree(out.resolve("sweep-index.json").toFile()).path("runs")
                .path(runDir.getFileName().toString());
        assertEquals("2", entry.path("info").path("attempt").asText(), entry.toString());
        assertEquals(Long.toString(subs.get(1).jobId()), entry.path("info").path("slurm_job_id").asText());
    }

    /**
     * The full command line from {@code /proc/PID/cmdline} (arguments separated by NUL);
     * {@code ProcessHandle.Info.commandLine()} truncates long ones (the test class path is long).
     */
    static String cmdline(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }

    /** {@code cl cancel DIR} cancels the sweep's array; the waiting sweep process resubmits nothing. */
    @Test
    void cancelStopsTheSweepsTasksWithoutResubmission() throws Exception {
        Path out = tmp.resolve("cancel");
        CompletableFuture<Integer> sweepRun = CompletableFuture.supplyAsync(() -> Cl.execute("sweep",
                demo().toString(), "--out", out.toString(), "--executor", "slurm"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        SubmissionLog log = SubmissionLog.read(out);
        while (log.submissions().isEmpty()) {
            assertTrue(System.nanoTime() < deadline && !sweepRun.isDone(), "the sweep submitted its array");
            Thread.sleep(50);
            log = SubmissionLog.read(out);
        }
        long job = log.submissions().get(0).jobId();
        SlurmClient client = new SlurmClient();
        while (client.queue(job).stream().noneMatch(t -> t.state() == JobState.RUNNING)) {
            assertTrue(System.nanoTime() < deadline, "a task started");
            Thread.sleep(100);
        }
        assertEquals(0, Cl.execute("cancel", out.toString()));
        assertEquals(1, (int) sweepRun.get(WAIT_SECONDS, TimeUnit.SECONDS), "the sweep reports failed runs");
        assertEquals(1, SubmissionLog.read(out).submissions().size(), "nothing resubmitted after the cancel");
        assertTrue(client.queue(job).isEmpty(), "nothing left in the queue");
        long unfinished = runDirs(out).stream().filter(d -> {
            try {
                return Summary.readFinished(d) == null;
            } catch (Exception e) {
                return true;
            }
        }).count();
        assertTrue(unfinished > 0, "the cancel stopped runs before they finished");
    }

    /**
     * The sweep process is killed (SIGKILL) after it submitted its array; the SLURM tasks live on. Rerunning the
     * sweep adopts them (waits for the same array, submits nothing new) and ends with every run finished.
     */
    @Test
    void aRerunAfterTheSweepProcessDiedWaitsForItsLiveTasks() throws Exception {
        Path sweep = tmp.resolve("two.yaml");
        Files.writeString(sweep, "base: " + RepoRoot.path().resolve("runs/configs/split-mnist-finetune.yaml") + "\n"
                + "set:\n  learner.hidden: [100]\n  learner.epochs: 1\n  run.progress: never\n"
                + "seeds: [0, 1]\nslurm:\n  max_concurrent: 1\n  mem: 2G\n");
        Path out = tmp.resolve("adopt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cllab.runs.cli.Cl", "sweep", sweep.toString(),
                "--out", out.toString(), "--executor", "slurm"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("first-session.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process first = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        SubmissionLog log = SubmissionLog.read(out);
        while (log.submissions().isEmpty()) {
            assertTrue(System.nanoTime() < deadline && first.isAlive(), "the first session submitted: "
                    + Files.readString(tmp.resolve("first-session.log")));
            Thread.sleep(50);
            log = SubmissionLog.read(out);
        }
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long job = log.submissions().get(0).jobId();
        assertFalse(new SlurmClient().queue(job).isEmpty(), "its tasks outlive the sweep process");

        assertEquals(0, Cl.execute("sweep", sweep.toString(), "--out", out.toString(), "--executor", "slurm"));
        List<SubmissionLog.Submission> subs = SubmissionLog.read(out).submissions();
        assertEquals(1, subs.size(), "the rerun submitted nothing: " + subs);
        for (Path d : runDirs(out)) {
            assertTrue(Summary.readFinished(d) != null, d + " finished");
            JsonNode sessions = Json.MAPPER.readTree(d.resolve("provenance.json").toFile()).path("sessions");
            assertEquals(1, sessions.size(), "ran once: " + sessions);
            assertEquals(job, sessions.get(0).path("slurm").path("array_job_id").asLong());
        }
    }

    /** A request the cluster cannot meet (a GPU on a node without GPUs) fails before anything is written. */
    @Test
    void aRequestTheClusterRefusesFailsBeforeAnythingIsWritten() throws Exception {
        Path sweep = tmp.resolve("gpu.yaml");
        Files.writeString(sweep, "base: " + RepoRoot.path().resolve("runs/configs/split-mnist-finetune.yaml") + "\n"
                + "seeds: [0]\nslurm:\n  gpus: 1\n");
        Path out = tmp.resolve("gpu");
        ClRun.Result r = ClRun.run("sweep", sweep.toString(), "--out", out.toString(), "--executor", "slurm");
        String msg = r.err();
        assertEquals(2, r.code(), msg);
        assertEquals(1, msg.strip().lines().count(), msg);
        assertTrue(msg.startsWith("--executor: slurm: sbatch --test-only refused the job: "), msg);
        assertTrue(msg.contains("gres"), msg);
        assertFalse(Files.exists(out), "nothing written");
    }

    /** Acceptance 4: an unreachable controller fails the sweep before any run starts, with one line, exit 2. */
    @Test
    void anUnreachableControllerFailsBeforeAnythingIsWritten() throws Exception {
        Path conf = Path.of(System.getenv("SLURM_CONF"));
        Path dead = tmp.resolve("dead-slurm.conf");
        Files.writeString(dead, Files.readString(conf).replaceAll("(?m)^SlurmctldPort=.*$", "SlurmctldPort=6899"));
        Path out = tmp.resolve("never");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cllab.runs.cli.Cl", "sweep", demo().toString(),
                "--out", out.toString(), "--executor", "slurm"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        pb.environment().put("SLURM_CONF", dead.toString());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String err = Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertTrue(err.startsWith("--executor: slurm: SLURM controller unreachable (SLURM_CONF=" + dead + "): "), err);
        assertFalse(Files.exists(out), "nothing written");
        assertTrue(seconds < 60, "failed fast: " + seconds + " s");
    }
}
