package org.cllab.runs.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.RunSignals;

/**
 * Runs a sweep on this machine: each run in its own worker JVM ({@link WorkerCommand}), at most {@code workers} at a
 * time, each on a device from the {@link DeviceScheduler} ({@code CUDA_VISIBLE_DEVICES} set per worker) with
 * {@code OMP_NUM_THREADS} = cores / workers unless given. Standard output and error of a worker go to
 * {@code worker.out} / {@code worker.err} in its run directory (appended: a resumed run keeps the earlier output).
 * Workers end by themselves when the sweep process dies ({@link ParentWatch}); when the executor is interrupted or the
 * sweep process gets SIGTERM/SIGINT it stops them ({@link #stop}: SIGTERM, then SIGKILL after a grace period). A worker
 * that ends with exit code 130/143 after a safe stop is recorded as interrupted, not failed.
 */
public final class LocalExecutor implements SweepExecutor {
    /** How long stopped workers get to reach a safe point before they are killed. */
    static final int STOP_GRACE_SECONDS = 30;

    @Override
    public String name() {
        return "local";
    }

    /** GPU devices need the CUDA build (nd4j-cuda on the class path). */
    @Override
    public void preflight(SweepContext context) {
        boolean gpus = context.plan().spec().devices().stream().anyMatch(Device::isGpu);
        if (gpus && context.worker().classPath().stream().noneMatch(e -> e.contains("nd4j-cuda"))) {
            throw new ConfigException(context.plan().spec().file().toString(), "devices", "GPU devices need the "
                    + "CUDA build (./mvnw -Pcuda -DskipTests package); this build has the CPU backend only");
        }
    }

    private record Ended(SweepRun run, Device device, int exitCode) {
    }

    @Override
    public void execute(SweepContext context, List<SweepRun> runs, SweepListener listener)
            throws IOException, InterruptedException {
        DeviceScheduler scheduler = DeviceScheduler.of(context.plan().spec(), context.options().workers());
        int threads = context.options().resolvedThreads();
        WorkerCommand worker = context.worker().withJvmOption("-D" + ParentWatch.PROPERTY + "="
                + ProcessHandle.current().pid());
        Deque<SweepRun> pending = new ArrayDeque<>(runs);
        BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
        Map<SweepRun, Process> live = new LinkedHashMap<>();
        Thread killer = new Thread(() -> stop(live.values()), "cllab-sweep-stop-workers");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            while (!pending.isEmpty() || !live.isEmpty()) {
                while (!pending.isEmpty()) {
                    Optional<Device> device = scheduler.acquire();
                    if (device.isEmpty()) {
                        break;
                    }
                    SweepRun run = pending.poll();
                    Process p;
                    try {
                        p = start(context, worker, run, device.get(), threads);
                    } catch (IOException e) {
                        scheduler.release(device.get());
                        listener.onStatus(run, RunStatus.FAILED, Map.of("error", "cannot start worker: "
                                + e.getMessage()));
                        continue;
                    }
                    synchronized (live) {
                        live.put(run, p);
                    }
                    listener.onStatus(run, RunStatus.RUNNING, Map.of("device", device.get().toString(),
                            "pid", Long.toString(p.pid()), "threads", Integer.toString(threads)));
                    Device d = device.get();
                    p.onExit().thenAccept(done -> ended.add(new Ended(run, d, done.exitValue())));
                }
                Ended e = ended.take();
                synchronized (live) {
                    live.remove(e.run());
                }
                scheduler.release(e.device());
                listener.onStatus(e.run(), endStatus(context.layout(), e.run(), e.exitCode()),
                        endInfo(context.layout(), e.run(), e.exitCode()));
            }
        } finally {
            synchronized (live) {
                stop(live.values());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
    }

    /**
     * How a worker's end is recorded: finished (summary), interrupted (exit 130/143 after a safe stop: resumed by the
     * next session, not a failure) or failed.
     */
    static RunStatus endStatus(SweepLayout layout, SweepRun run, int exitCode) throws IOException {
        SweepLayout.Phase phase = layout.phase(run.id());
        if (phase == SweepLayout.Phase.FINISHED) {
            return RunStatus.FINISHED;
        }
        if (phase != SweepLayout.Phase.DIVERGED && RunSignals.EXIT_CODES.containsValue(exitCode)) {
            return RunStatus.INTERRUPTED;
        }
        return RunStatus.FAILED;
    }

    /** The exit code, and for a diverged run its reason. */
    static Map<String, String> endInfo(SweepLayout layout, SweepRun run, int exitCode) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("exit_code", Integer.toString(exitCode));
        String reason = layout.divergedReason(run.id());
        if (reason != null) {
            m.put("reason", reason);
        }
        return m;
    }

    private static Process start(SweepContext context, WorkerCommand worker, SweepRun run, Device device,
                                 int threads) throws IOException {
        SweepLayout l = context.layout();
        Files.createDirectories(l.runDir(run.id()));
        ProcessBuilder pb = new ProcessBuilder(worker.command(l.runConfig(run.id()), l.runDir(run.id())))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(l.workerOut(run.id()).toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(l.workerErr(run.id()).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(WorkerCommand.environment(device, threads));
        return pb.start();
    }

    /**
     * Stops workers: SIGTERM first, so that each stops at its next safe point and records itself as interrupted
     * (resumed by the next session), then SIGKILL for any still alive after {@link #STOP_GRACE_SECONDS}.
     */
    static void stop(java.util.Collection<Process> workers) {
        List<Process> ps = List.copyOf(workers);
        ps.forEach(Process::destroy);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
        for (Process p : ps) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Process p : ps) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

}
