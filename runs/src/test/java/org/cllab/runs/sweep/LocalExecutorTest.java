package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local executor with fake GPUs: the worker is a shell script instead of a JVM, so the test sees the device
 * and thread settings each worker got and how many ran at once on each device, without a GPU or ND4J.
 */
class LocalExecutorTest {
    @TempDir
    Path tmp;

    @Test
    void workersGetOneDeviceEachWithinTheBudgetAndTheirEnvironment() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", """
                base: base.yaml
                seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
                devices: [0, 1]
                gpu_memory_budget_mb: 10000
                run_memory_mb: 5000
                """);
        SweepPlan plan = SweepRunner.plan(f);
        SweepLayout layout = new SweepLayout(tmp.resolve("out"));
        for (SweepRun r : plan.runs()) {
            Files.createDirectories(layout.runDir(r.id()));
            Files.writeString(layout.runConfig(r.id()), r.config().toYaml());
        }
        // a worker speaking the protocol of cl worker: RUN_DIR<TAB>CONFIG lines in, start/end lines out
        String script = "tab=\"$(printf '\\t')\"; while IFS=\"$tab\" read -r dir cfg; do "
                + "echo \"cl-worker: start $dir\"; "
                + "echo \"$CUDA_VISIBLE_DEVICES $OMP_NUM_THREADS $OMP_WAIT_POLICY\" > \"$dir/env.txt\"; "
                + "echo out > \"$dir/worker.out\"; echo err > \"$dir/worker.err\"; "
                + "sleep 0.3; case \"$dir\" in *" + plan.runs().get(3).id() + ") echo \"cl-worker: end 3 $dir\"; "
                + "exit 3;; esac; printf '{\"finished\": true}' > \"$dir/summary.json\"; "
                + "echo \"cl-worker: end 0 $dir\"; done";
        WorkerCommand fake = new WorkerCommand("/bin/sh", List.of("unused"), List.of("-c", script));
        Map<String, Integer> runningOn = new HashMap<>();
        Map<String, Integer> maxOn = new HashMap<>();
        int[] maxTotal = {0};
        int[] total = {0};
        Map<String, String> deviceOf = new HashMap<>();
        Map<String, RunStatus> last = new HashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, Integer> runsOfPid = new HashMap<>();
        SweepListener l = (run, status, info) -> {
            synchronized (runningOn) {
                order.add(run.id() + " " + status);
                last.put(run.id(), status);
                if (status == RunStatus.RUNNING) {
                    String d = info.get("device");
                    runsOfPid.merge(info.get("pid"), 1, Integer::sum);
                    deviceOf.put(run.id(), d);
                    assertEquals("3", info.get("threads"));
                    runningOn.merge(d, 1, Integer::sum);
                    maxOn.merge(d, runningOn.get(d), Math::max);
                    total[0]++;
                    maxTotal[0] = Math.max(maxTotal[0], total[0]);
                } else {
                    runningOn.merge(deviceOf.get(run.id()), -1, Integer::sum);
                    total[0]--;
                }
            }
        };
        new LocalExecutor().execute(new SweepContext(plan, layout, new ExecutorOptions(8, 3, 2), fake), plan.runs(), l);
        assertEquals(10, last.size());
        for (int i = 0; i < 10; i++) {
            SweepRun r = plan.runs().get(i);
            assertEquals(i == 3 ? RunStatus.FAILED : RunStatus.FINISHED, last.get(r.id()), order.toString());
            String[] env = Files.readString(layout.runDir(r.id()).resolve("env.txt")).trim().split(" ");
            assertEquals(deviceOf.get(r.id()), "gpu" + env[0], "CUDA_VISIBLE_DEVICES = the assigned GPU");
            assertEquals("3", env[1]);
            assertEquals("PASSIVE", env[2]);
            assertTrue(Files.exists(layout.workerOut(r.id())) && Files.exists(layout.workerErr(r.id())));
        }
        assertEquals(Set.of("gpu0", "gpu1"), maxOn.keySet());
        assertTrue(runsOfPid.values().stream().allMatch(n -> n <= 2), "at most 2 runs per worker JVM: " + runsOfPid);
        assertTrue(runsOfPid.containsValue(2), "workers are reused: " + runsOfPid);
        assertTrue(maxOn.values().stream().allMatch(m -> m <= 2), "at most 2 runs per GPU (budget): " + maxOn);
        assertEquals(4, maxTotal[0], "2 GPUs x 2 runs at once (8 workers allowed): " + order);
    }
}
