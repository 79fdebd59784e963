package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;

/** Device assignment with fake device lists: no GPU needed. */
class DeviceSchedulerTest {
    private static final Device GPU0 = Device.gpu(0);
    private static final Device GPU1 = Device.gpu(1);

    @Test
    void cpuOnlyRunsUpToTheWorkerCount() {
        DeviceScheduler s = new DeviceScheduler(List.of(Device.CPU), 0, 0, 3);
        assertEquals(3, s.maxConcurrent());
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.of(Device.CPU), s.acquire());
        }
        assertEquals(Optional.empty(), s.acquire(), "all workers busy");
        s.release(Device.CPU);
        assertEquals(Optional.of(Device.CPU), s.acquire(), "a released slot is reused");
        assertEquals(3, s.running(Device.CPU));
    }

    @Test
    void twoGpusWithABudgetForTwoRunsEach() {
        DeviceScheduler s = new DeviceScheduler(List.of(GPU0, GPU1), 16000, 7000, 8);
        assertEquals(2, s.capacity(GPU0));
        assertEquals(4, s.maxConcurrent(), "2 GPUs x 2 runs, fewer than 8 workers");
        List<Device> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(s.acquire().orElseThrow());
        }
        assertEquals(List.of(GPU0, GPU1, GPU0, GPU1), got, "spread over the GPUs, least loaded first");
        assertEquals(Optional.empty(), s.acquire(), "a third run would exceed a GPU's budget");
        assertEquals(14000, s.usedMemoryMb(GPU0));
        s.release(GPU1);
        assertEquals(Optional.of(GPU1), s.acquire(), "released memory goes to the next run");
        assertEquals(Optional.empty(), s.acquire());
    }

    @Test
    void oneRunPerGpuWithoutAMemoryBudgetAndWorkersStillLimit() {
        DeviceScheduler s = new DeviceScheduler(List.of(GPU0, GPU1), 0, 0, 1);
        assertEquals(1, s.capacity(GPU0));
        assertEquals(1, s.maxConcurrent());
        assertEquals(Optional.of(GPU0), s.acquire());
        assertEquals(Optional.empty(), s.acquire(), "one worker");
        DeviceScheduler t = new DeviceScheduler(List.of(GPU0, GPU1), 0, 0, 5);
        assertEquals(Optional.of(GPU0), t.acquire());
        assertEquals(Optional.of(GPU1), t.acquire());
        assertEquals(Optional.empty(), t.acquire(), "one run per GPU when no budget is configured");
    }

    @Test
    void gpusFirstThenTheCpu() {
        DeviceScheduler s = new DeviceScheduler(List.of(Device.CPU, GPU0), 8000, 4000, 4);
        assertEquals(List.of(GPU0, GPU0, Device.CPU, Device.CPU),
                List.of(s.acquire().orElseThrow(), s.acquire().orElseThrow(), s.acquire().orElseThrow(),
                        s.acquire().orElseThrow()));
        assertEquals(Optional.empty(), s.acquire());
    }

    @Test
    void randomAcquireReleaseNeverExceedsABudget() {
        DeviceScheduler s = new DeviceScheduler(List.of(GPU0, GPU1, Device.gpu(2)), 10000, 3000, 7);
        Rng rng = new Rng(42);
        List<Device> held = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            if (rng.nextDouble() < 0.55) {
                s.acquire().ifPresent(held::add);
            } else if (!held.isEmpty()) {
                s.release(held.remove(rng.nextInt(held.size())));
            }
            for (Device d : List.of(GPU0, GPU1, Device.gpu(2))) {
                assertTrue(s.usedMemoryMb(d) <= 10000, "budget exceeded on " + d);
                assertTrue(s.running(d) <= 3);
            }
            assertTrue(s.total() <= 7, "worker limit");
            assertEquals(held.size(), s.total());
        }
        assertThrows(IllegalStateException.class, () -> {
            DeviceScheduler e = new DeviceScheduler(List.of(GPU0), 0, 0, 1);
            e.release(GPU0);
        });
    }

    @Test
    void environmentPerWorker() {
        assertEquals(Map.of("OMP_WAIT_POLICY", "PASSIVE", "OMP_NUM_THREADS", "2", "CUDA_VISIBLE_DEVICES", "1"),
                WorkerCommand.environment(GPU1, 2));
        assertEquals("", WorkerCommand.environment(Device.CPU, 1).get("CUDA_VISIBLE_DEVICES"),
                "a CPU run sees no GPU");
        assertTrue(!WorkerCommand.environment(null, 1).containsKey("CUDA_VISIBLE_DEVICES"), "left to SLURM");
    }
}
