package org.cllab.runs.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.Summary;
import org.cllab.runs.sweep.ExecutorOptions;
import org.cllab.runs.sweep.SweepRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 2 of issue 21 on a second private one-node cluster whose {@code MaxArraySize} is 20 (started here with
 * {@code CLLAB_SLURM_MAX_ARRAY_SIZE=20 scripts/start-slurm.sh}, stopped at the end; root and the Debian SLURM packages
 * as for the rest of the SLURM tier): a 50-run sweep is submitted as 3 arrays (20, 20, 10 tasks) within
 * {@code max_submit_jobs: 30} and {@code max_concurrent: 2}; one worker is killed after its first checkpoint and its
 * task is resubmitted and resumes; every run finishes with its array's ids in its provenance; a rerun submits
 * nothing.
 */
@Tag("slurm")
class SlurmSplitSweepTest {
    private static final long WAIT_SECONDS = 1800;
    private static Path prefix;
    private static Path conf;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSmallCluster() throws Exception {
        prefix = Files.createTempDirectory("cllab-slurm-small");
        Files.setPosixFilePermissions(prefix, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(RepoRoot.path().resolve("scripts/start-slurm.sh").toString(),
                prefix.toString()).redirectErrorStream(true);
        pb.environment().put("CLLAB_SLURM_MAX_ARRAY_SIZE", "20");
        pb.environment().remove("SLURM_CONF");
        pb.environment().remove("CLLAB_SLURMCTLD_PORT");
        pb.environment().remove("CLLAB_SLURMD_PORT");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0, "second cluster started: " + out);
        conf = prefix.resolve("etc/slurm.conf");
        assertEquals(20, SlurmClient.forConf(conf).maxArraySize());
    }

    @AfterAll
    static void stopSmallCluster() throws Exception {
        if (prefix != null) {
            new ProcessBuilder(RepoRoot.path().resolve("scripts/stop-slurm.sh").toString(), prefix.toString())
                    .inheritIO().start().waitFor(120, TimeUnit.SECONDS);
        }
    }

    private SweepRunner.Result sweep(Path file, Path out, PrintStream console) throws Exception {
        SlurmExecutor ex = new SlurmExecutor(() -> SlurmClient.forConf(conf), console);
        return new SweepRunner(ex, new ExecutorOptions(1, 0), console, false).run(file, out);
    }

    @Test
    void fiftyRunsBecomeThreeArraysAKilledTaskResumesAndARerunSubmitsNothing() throws Exception {
        Path file = tmp.resolve("fifty.yaml");
        StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            seeds.append(i == 0 ? "" : ", ").append(i);
        }
        Files.writeString(file, "base: " + RepoRoot.path().resolve("runs/configs/split-mnist-finetune.yaml") + "\n"
                + "set:\n  scenario.tasks: 3\n  scenario.train_limit: 600\n  learner.hidden: [32]\n"
                + "  learner.epochs: 2\n  run.progress: never\n  evaluation.modes: [class-incremental]\n"
                + "seeds: [" + seeds + "]\n"
                + "slurm:\n  max_concurrent: 2\n  max_submit_jobs: 30\n  max_retries: 1\n  mem: 1G\n"
                + "  time: \"00:30:00\"\n");
        Path out = tmp.resolve("sweep");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(log, true, StandardCharsets.UTF_8);
        CompletableFuture<SweepRunner.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return sweep(file, out, console);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // kill one worker JVM after its first checkpoint, before it finishes
        Path killed = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Set<Path> tried = new HashSet<>();
        while (killed == null) {
            assertFalse(run.isDone(), "the sweep ended before a worker could be killed: " + log);
            assertTrue(System.nanoTime() < deadline, "no checkpoint within " + WAIT_SECONDS + " s");
            for (Path d : runDirs(out)) {
                if (tried.contains(d) || !Files.exists(d.resolve("checkpoints/task-01"))
                        || Files.exists(d.resolve(Summary.FILE))) {
                    continue;
                }
                tried.add(d);
                String marker = "\0--out\0" + d.toAbsolutePath() + "\0";
                Optional<ProcessHandle> worker = ProcessHandle.allProcesses()
                        .filter(p -> SlurmSweepTest.cmdline(p).contains(marker)).findFirst();
                if (worker.isPresent()) {
                    worker.get().destroyForcibly();
                    worker.get().onExit().get(30, TimeUnit.SECONDS);
                    if (!Files.exists(d.resolve(Summary.FILE))) {
                        killed = d;
                        break;
                    }
                }
            }
            Thread.sleep(20);
        }

        SweepRunner.Result r = run.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(r.allFinished(), "every run finished: " + r.failed() + "\n" + log);
        List<SubmissionLog.Submission> subs = SubmissionLog.read(out).submissions();
        List<SubmissionLog.Submission> first = subs.stream().filter(s -> s.attempt() == 1).toList();
        assertTrue(first.size() >= 3, "50 runs with MaxArraySize 20: at least 3 arrays: " + subs);
        assertTrue(first.stream().allMatch(s -> s.runs().size() <= 20), "each array within MaxArraySize");
        assertEquals(50, first.stream().mapToInt(s -> s.runs().size()).sum());
        assertTrue(subs.stream().anyMatch(s -> s.attempt() == 2), "the killed task was resubmitted: " + subs);
        assertEquals(3, first.stream().map(SubmissionLog.Submission::taskList).distinct().count(),
                "one task list per array");

        Map<String, List<Long>> jobsOfRun = new HashMap<>();
        for (SubmissionLog.Submission s : subs) {
            s.runs().forEach((i, id) -> jobsOfRun.computeIfAbsent(id, k -> new ArrayList<>()).add(s.jobId()));
        }
        List<Path> dirs = runDirs(out);
        assertEquals(50, dirs.size());
        for (Path d : dirs) {
            assertTrue(Summary.readFinished(d) != null, d + " finished");
            JsonNode slurm = Json.MAPPER.readTree(d.resolve("provenance.json").toFile()).path("slurm");
            String id = d.getFileName().toString();
            long arrayJob = slurm.path("array_job_id").asLong();
            assertTrue(jobsOfRun.get(id).contains(arrayJob), id + " ran in one of its arrays: " + slurm);
            SubmissionLog.Submission sub = subs.stream().filter(s -> s.jobId() == arrayJob).findFirst().orElseThrow();
            assertEquals(id, sub.runs().get(slurm.path("array_task_id").asInt(-1)), "array task id in provenance");
        }
        JsonNode resumed = Summary.readFinished(killed);
        assertTrue(resumed.path("resumed_after_task").asInt() >= 1, "the killed run resumed: " + resumed);
        JsonNode sessions = Json.MAPPER.readTree(killed.resolve("provenance.json").toFile()).path("sessions");
        assertEquals(2, sessions.size(), sessions.toString());
        assertTrue(sessions.get(0).path("slurm").path("array_job_id").asLong()
                != sessions.get(1).path("slurm").path("array_job_id").asLong(), "the retry is another array");

        SweepRunner.Result again = sweep(file, out, console);
        assertEquals(50, again.skipped());
        assertEquals(subs.size(), SubmissionLog.read(out).submissions().size(), "the rerun submitted nothing");
    }

    private static List<Path> runDirs(Path sweep) throws Exception {
        if (!Files.isDirectory(sweep.resolve("runs"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
