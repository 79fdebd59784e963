package org.cllab.runs.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SlurmClient} against the real one-node cluster of {@code scripts/start-slurm.sh} ({@code SLURM_CONF} must
 * point at it; {@code .ci/run} does this). Nothing is mocked: real sbatch, squeue, scontrol, scancel.
 */
@Tag("slurm")
class SlurmClientTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    static SlurmClient client;

    @BeforeAll
    static void cluster() {
        String conf = System.getenv("SLURM_CONF");
        assertTrue(conf != null && Files.isRegularFile(Path.of(conf)),
                "SLURM_CONF must name the test cluster's slurm.conf: eval \"$(scripts/start-slurm.sh)\"");
        client = new SlurmClient();
        client.ping();
    }

    private Path script(String body) throws Exception {
        Path s = tmp.resolve("job.sh");
        Files.writeString(s, "#!/bin/bash\n#SBATCH --output=" + tmp + "/%A_%a.out\n" + body);
        return s;
    }

    @Test
    void arrayTasksReportTheirStatesAndExitCodes() throws Exception {
        long job = client.submit(script("""
                #SBATCH --array=0-3%2
                #SBATCH --time=2
                #SBATCH --mem=64M
                if [ "$SLURM_ARRAY_TASK_ID" = 2 ]; then exit 3; fi
                /bin/true
                """), List.of("--job-name=cl-test-states"));
        assertTrue(job > 0);
        List<Integer> all = List.of(0, 1, 2, 3);
        List<SlurmTask> live = client.tasks(job, all);
        assertEquals(all, live.stream().map(SlurmTask::arrayTaskId).toList(), "every index known right away");

        List<SlurmTask> end = client.awaitEnd(job, all, WAIT, POLL);
        assertEquals(all, end.stream().map(SlurmTask::arrayTaskId).toList());
        for (SlurmTask t : end) {
            assertEquals(job, t.arrayJobId());
            if (t.arrayTaskId() == 2) {
                assertEquals(JobState.FAILED, t.state(), t.toString());
                assertEquals(3, t.exitCode(), t.toString());
                assertFalse(t.succeeded());
            } else {
                assertEquals(JobState.COMPLETED, t.state(), t.toString());
                assertEquals(0, t.exitCode(), t.toString());
                assertTrue(t.succeeded());
            }
        }
        assertEquals(4, end.stream().map(SlurmTask::jobId).distinct().count(), "each task ran as its own job");
        assertTrue(client.queue(job).isEmpty(), "nothing left in the queue");
        Map<Integer, SlurmTask> comp = client.completions(job).stream()
                .collect(Collectors.toMap(SlurmTask::arrayTaskId, t -> t));
        if (!comp.isEmpty()) { // the jobcomp file of start-slurm.sh's cluster is readable here
            assertEquals(3, comp.get(2).exitCode());
            assertEquals(JobState.COMPLETED, comp.get(3).state());
        }
    }

    @Test
    void cancelStopsRunningAndPendingTasks() throws Exception {
        long job = client.submit(script("""
                #SBATCH --array=0-5%1
                #SBATCH --time=5
                sleep 300
                """), List.of());
        List<Integer> all = List.of(0, 1, 2, 3, 4, 5);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.queue(job).stream().noneMatch(t -> t.state() == JobState.RUNNING)) {
            assertTrue(System.nanoTime() < deadline, "a task started");
            Thread.sleep(POLL.toMillis());
        }
        client.cancel(job, List.of(4, 5));
        List<SlurmTask> after = client.queue(job);
        assertFalse(after.stream().anyMatch(t -> t.arrayTaskId() >= 4 && !t.state().isFinal()),
                "tasks 4 and 5 left the queue: " + after);
        client.cancel(job);
        List<SlurmTask> end = client.awaitEnd(job, all, WAIT, POLL);
        assertTrue(end.stream().allMatch(t -> t.state() == JobState.CANCELLED), end.toString());
        assertTrue(end.stream().anyMatch(t -> t.arrayTaskId() == 0), "the running task is reported cancelled");
        client.cancel(job); // cancelling an ended job is fine
    }

    @Test
    void accountingIsDetectedFromTheClusterConfig() {
        boolean enabled = client.accountingEnabled();
        assertEquals(!client.config().get("AccountingStorageType").equals("accounting_storage/none"), enabled);
        if (!enabled) {
            assertTrue(client.accounting(1).isEmpty());
        }
    }

    @Test
    void aDeadControllerFailsFastWithOneLine() throws Exception {
        Path conf = Path.of(System.getenv("SLURM_CONF"));
        int port = 6899;
        String dead = Files.readString(conf).replaceAll("(?m)^SlurmctldPort=.*$", "SlurmctldPort=" + port);
        assertNotEquals(Files.readString(conf), dead);
        Path deadConf = tmp.resolve("slurm.conf");
        Files.writeString(deadConf, dead);
        SlurmClient deadClient = SlurmClient.forConf(deadConf);
        long t0 = System.nanoTime();
        SlurmException e = assertThrows(SlurmException.class, deadClient::ping);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < SlurmClient.PING_TIMEOUT.toSeconds() + 2, "took " + seconds + " s");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("SLURM controller unreachable (SLURM_CONF=" + deadConf + "): "),
                e.getMessage());
    }
}
