package org.cllab.runs.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns the runs of a local sweep to devices. Pure bookkeeping (no processes, no GPU needed), thread-safe.
 *
 * <ul>
 *   <li>At most {@code workers} runs at a time in total.</li>
 *   <li>The CPU takes any number of runs (up to {@code workers}).</li>
 *   <li>A GPU takes {@code gpuMemoryBudgetMb / runMemoryMb} runs at a time (their memory never exceeds the budget);
 *       one run when either is 0 (not configured).</li>
 *   <li>{@link #acquire()} prefers GPUs: the GPU with the fewest runs (ties: the first listed), the CPU only when no
 *       GPU has room.</li>
 * </ul>
 */
public final class DeviceScheduler {
    private final List<Device> devices;
    private final int workers;
    private final int gpuBudgetMb;
    private final int runMemoryMb;
    private final Map<Device, Integer> running = new LinkedHashMap<>();
    private int total;

    public DeviceScheduler(List<Device> devices, int gpuMemoryBudgetMb, int runMemoryMb, int workers) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no devices");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
        this.devices = List.copyOf(devices);
        this.workers = workers;
        this.gpuBudgetMb = gpuMemoryBudgetMb;
        this.runMemoryMb = runMemoryMb;
        for (Device d : devices) {
            running.put(d, 0);
        }
    }

    /** Scheduler of a sweep's {@code devices}, {@code gpu_memory_budget_mb} and {@code run_memory_mb}. */
    public static DeviceScheduler of(SweepSpec spec, int workers) {
        return new DeviceScheduler(spec.devices(), spec.gpuMemoryBudgetMb(), spec.runMemoryMb(), workers);
    }

    /** Runs {@code device} can hold at a time. */
    public int capacity(Device device) {
        if (!device.isGpu()) {
            return workers;
        }
        return gpuBudgetMb > 0 && runMemoryMb > 0 ? Math.max(1, gpuBudgetMb / runMemoryMb) : 1;
    }

    /** Runs that can be in flight at once: min(workers, total device capacity). */
    public int maxConcurrent() {
        long cap = 0;
        for (Device d : devices) {
            cap += capacity(d);
        }
        return (int) Math.min(workers, cap);
    }

    /** A device with room for one more run (now counted as running on it), or empty when every slot is taken. */
    public synchronized Optional<Device> acquire() {
        if (total >= workers) {
            return Optional.empty();
        }
        Device best = null;
        for (Device d : devices) {
            if (d.isGpu() && running.get(d) < capacity(d) && (best == null || running.get(d) < running.get(best))) {
                best = d;
            }
        }
        if (best == null) {
            for (Device d : devices) {
                if (!d.isGpu() && running.get(d) < capacity(d)) {
                    best = d;
                    break;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        running.merge(best, 1, Integer::sum);
        total++;
        return Optional.of(best);
    }

    /** A run on {@code device} ended. */
    public synchronized void release(Device device) {
        Integer n = running.get(device);
        if (n == null || n == 0) {
            throw new IllegalStateException("no run to release on " + device);
        }
        running.put(device, n - 1);
        total--;
    }

    /** Runs currently on {@code device}. */
    public synchronized int running(Device device) {
        return running.getOrDefault(device, 0);
    }

    /** GPU memory the runs on {@code device} use by the configured estimate (0 for the CPU). */
    public synchronized int usedMemoryMb(Device device) {
        return device.isGpu() ? running(device) * runMemoryMb : 0;
    }

    /** Runs in flight. */
    public synchronized int total() {
        return total;
    }
}
