package org.cllab.runs.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job-array script: its {@code #SBATCH} header, and its body run by bash as SLURM would run one task. */
class ArrayJobScriptTest {
    @TempDir
    Path tmp;

    private ArrayJobScript script(List<Integer> indices, int max, int gpus, List<String> prefix) {
        return new ArrayJobScript("cl-sweep-ab12", indices, max, 2, "4G", "01:30:00", gpus, "", "acct1",
                List.of("--qos=short"), tmp.resolve("slurm/logs"), tmp.resolve("slurm/tasks-1.txt"), prefix,
                Map.of("CLLAB_X", "a b"));
    }

    @Test
    void headerHasTheArrayLimitsResourcesAndPerTaskLogs() {
        String s = script(List.of(0, 1, 2, 3, 4, 5, 6, 7), 2, 0, List.of("java", "-cp", "x", "Cl", "run")).render();
        List<String> sbatch = s.lines().filter(l -> l.startsWith("#SBATCH ")).map(l -> l.substring(8)).toList();
        assertEquals(List.of("--job-name=cl-sweep-ab12", "--array=0-7%2", "--cpus-per-task=2", "--mem=4G",
                "--time=01:30:00", "--account=acct1", "--output=" + tmp.resolve("slurm/logs") + "/%A_%a.out",
                "--error=" + tmp.resolve("slurm/logs") + "/%A_%a.err", "--signal=B:TERM@120", "--qos=short"), sbatch);
        assertTrue(s.startsWith("#!/bin/bash\n"));
        assertTrue(s.contains("export OMP_WAIT_POLICY=PASSIVE\n"));
        assertFalse(s.contains("--gres"), "no GPUs asked for");

        String retry = script(List.of(3, 5, 6), 0, 1, List.of("java")).render();
        assertTrue(retry.contains("#SBATCH --array=3,5-6\n"), retry);
        assertTrue(retry.contains("#SBATCH --gres=gpu:1\n"), retry);
    }

    @Test
    void badSettingsAreRefused() {
        List<String> p = List.of("java");
        Path logs = tmp.resolve("l");
        Path tasks = tmp.resolve("t");
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a b", List.of(0), 0, 1, "", "", 0,
                "", "", List.of(), logs, tasks, p, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a", List.of(0), 0, 1, "4 GB", "", 0,
                "", "", List.of(), logs, tasks, p, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a", List.of(0), 0, 1, "", "1h", 0,
                "", "", List.of(), logs, tasks, p, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a", List.of(0), 0, 1, "", "", 0,
                "", "", List.of("--x\n#SBATCH --y"), logs, tasks, p, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a", List.of(), 0, 1, "", "", 0,
                "", "", List.of(), logs, tasks, p, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a", List.of(0), 0, 1, "", "", 0,
                "", "", List.of(), Path.of("rel"), tasks, p, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ArrayJobScript.taskLine(tmp.resolve("a\tb"),
                tmp.resolve("c")));
        for (String t : List.of("30", "10:00", "01:00:00", "2-00", "2-12:00:00", "UNLIMITED")) {
            new ArrayJobScript("a", List.of(0), 0, 1, "100M", t, 0, "", "", List.of(), logs, tasks, p, Map.of());
        }
    }

    /** bash runs the body for task 1 with a worker that prints its arguments and environment. */
    @Test
    void bodyRunsTheWorkerOfItsTaskLineIntoTheRunDirectory() throws Exception {
        Path runA = tmp.resolve("runs/aaa");
        Path runB = tmp.resolve("runs/b b'q");
        Path worker = tmp.resolve("worker.sh");
        Files.writeString(worker, "#!/bin/bash\necho \"args:$*\"\necho \"omp:$OMP_WAIT_POLICY/$OMP_NUM_THREADS "
                + "x:$CLLAB_X\"\necho oops >&2\n");
        worker.toFile().setExecutable(true);
        ArrayJobScript s = script(List.of(0, 1), 0, 0, List.of(worker.toString(), "run"));
        Files.createDirectories(tmp.resolve("slurm"));
        Files.writeString(s.taskList(), ArrayJobScript.taskLine(runA, runA.resolve("config.yaml")) + "\n"
                + ArrayJobScript.taskLine(runB, runB.resolve("config.yaml")) + "\n");
        Path file = tmp.resolve("slurm/array.sh");
        Files.writeString(file, s.render());

        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
        pb.environment().put("SLURM_ARRAY_JOB_ID", "40");
        pb.environment().put("SLURM_JOB_ID", "42");
        pb.environment().remove("SLURM_CPUS_PER_TASK");
        Process p = pb.start();
        String console = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), console);
        assertEquals("args:run " + runB.resolve("config.yaml") + " --out " + runB + "\nomp:PASSIVE/2 x:a b\n",
                Files.readString(runB.resolve("worker.out")));
        String err = Files.readString(runB.resolve("worker.err"));
        assertTrue(err.startsWith("cl-slurm: job 42 = array task 40_1 on "), err);
        assertTrue(err.endsWith("oops\n"), err);
        assertFalse(Files.exists(runA), "task 1 touches only its own run");

        pb.environment().put("SLURM_ARRAY_TASK_ID", "5");
        Process missing = pb.start();
        String out = new String(missing.getInputStream().readAllBytes());
        assertTrue(missing.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, missing.exitValue());
        assertTrue(out.contains("no line 6 in"), out);
    }

    /** runs_per_task 2: task 1 pipes lines 3-4 of the task list into one worker ({@code ... worker}). */
    @Test
    void aPackedTaskPipesItsLinesIntoOneWorker() throws Exception {
        Path worker = tmp.resolve("worker.sh");
        Files.writeString(worker, "#!/bin/bash\necho \"args:$*\"\ncat\n");
        worker.toFile().setExecutable(true);
        ArrayJobScript s = new ArrayJobScript("cl-sweep-ab12", List.of(0, 1), 0, 1, "", "", 0, "", "", List.of(),
                tmp.resolve("slurm/logs"), tmp.resolve("slurm/tasks-1.txt"), List.of(worker.toString(), "run"),
                Map.of(), 2);
        Files.createDirectories(tmp.resolve("slurm"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            lines.append(ArrayJobScript.taskLine(tmp.resolve("runs/r" + i), tmp.resolve("c" + i))).append('\n');
        }
        Files.writeString(s.taskList(), lines);
        Path file = tmp.resolve("slurm/packed.sh");
        Files.writeString(file, s.render());
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString());
        pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
        pb.environment().put("SLURM_ARRAY_JOB_ID", "40");
        pb.environment().put("SLURM_JOB_ID", "42");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("args:worker\n" + ArrayJobScript.taskLine(tmp.resolve("runs/r2"), tmp.resolve("c2")) + "\n"
                + ArrayJobScript.taskLine(tmp.resolve("runs/r3"), tmp.resolve("c3")) + "\n", out);
        assertTrue(err.contains("runs lines 3-4"), err);
        assertThrows(IllegalArgumentException.class, () -> new ArrayJobScript("a", List.of(0), 0, 1, "", "", 0, "",
                "", List.of(), tmp, tmp.resolve("t"), List.of("java", "x"), Map.of(), 2), "packing needs ... run");
    }
}
