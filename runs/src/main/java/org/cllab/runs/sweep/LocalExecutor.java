package org.cllab.runs.sweep;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.RunSignals;
import org.cllab.runs.worker.RunWorker;

/**
 * Runs a sweep on this machine with long-lived worker JVMs ({@code cl worker}, {@link RunWorker}): at most
 * {@code workers} at a time, each on a device from the {@link DeviceScheduler} ({@code CUDA_VISIBLE_DEVICES} set per
 * worker) with {@code OMP_NUM_THREADS} = cores / workers unless given. A worker gets its runs one at a time through
 * its standard input and executes up to {@link ExecutorOptions#runsPerJvm()} of them one after the other (1 = a
 * fresh JVM per run); then, or after a run that did not exit with 0, it ends and a fresh worker takes over. Each
 * run's standard output and error go to {@code worker.out} / {@code worker.err} in its run directory (appended: a
 * resumed run keeps the earlier output), and so does whatever the worker process writes outside Java's streams
 * (JVM or native messages) while the run is its current one. Workers end by themselves when the sweep process dies
 * ({@link ParentWatch}); when the executor is interrupted or the sweep process gets SIGTERM/SIGINT it stops them
 * ({@link #stop}: SIGTERM, then SIGKILL after a grace period). A run that ends with exit code 130/143 after a safe
 * stop is recorded as interrupted, not failed; a diverged run as failed with its reason.
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

    /** One worker process. */
    private static final class Worker {
        final Process process;
        final Device device;
        final BufferedWriter stdin;
        volatile SweepRun current;
        volatile SweepRun last;
        int sent;
        boolean closed;

        Worker(Process process, Device device) {
            this.process = process;
            this.device = device;
            this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        /** The run whose files get this worker's process-level output now. */
        SweepRun target() {
            SweepRun c = current;
            return c != null ? c : last;
        }
    }

    private sealed interface Event permits Started, Ended, Exited {
        Worker worker();
    }

    private record Started(Worker worker) implements Event {
    }

    private record Ended(Worker worker, int exitCode) implements Event {
    }

    private record Exited(Worker worker, int exitCode) implements Event {
    }

    @Override
    public void execute(SweepContext context, List<SweepRun> runs, SweepListener listener)
            throws IOException, InterruptedException {
        DeviceScheduler scheduler = DeviceScheduler.of(context.plan().spec(), context.options().workers());
        int threads = context.options().resolvedThreads();
        int perJvm = Math.max(1, context.options().runsPerJvm());
        WorkerCommand command = context.worker().withJvmOption("-D" + ParentWatch.PROPERTY + "="
                + ProcessHandle.current().pid());
        Deque<SweepRun> pending = new ArrayDeque<>(runs);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        List<Worker> live = new ArrayList<>();
        Thread killer = new Thread(() -> {
            List<Process> ps;
            synchronized (live) {
                ps = live.stream().map(w -> w.process).toList();
            }
            stop(ps);
        }, "cllab-sweep-stop-workers");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            while (!pending.isEmpty() || !live.isEmpty()) {
                while (!pending.isEmpty()) {
                    Optional<Device> device = scheduler.acquire();
                    if (device.isEmpty()) {
                        break;
                    }
                    Worker w;
                    try {
                        w = start(context, command, device.get(), threads, perJvm, events);
                    } catch (IOException e) {
                        scheduler.release(device.get());
                        SweepRun run = pending.poll();
                        listener.onStatus(run, RunStatus.FAILED, Map.of("error", "cannot start worker: "
                                + e.getMessage()));
                        continue;
                    }
                    synchronized (live) {
                        live.add(w);
                    }
                    feed(context, w, pending, perJvm);
                }
                Event e = events.take();
                Worker w = e.worker();
                if (e instanceof Started) {
                    listener.onStatus(w.current, RunStatus.RUNNING, Map.of("device", w.device.toString(),
                            "pid", Long.toString(w.process.pid()), "threads", Integer.toString(threads)));
                } else if (e instanceof Ended d) {
                    SweepRun run = w.current;
                    w.current = null;
                    ended(context, listener, run, d.exitCode());
                    if (d.exitCode() == 0) {
                        feed(context, w, pending, perJvm);
                    } else {
                        close(w); // the worker ends after a failed run; a fresh one takes the rest
                    }
                } else if (e instanceof Exited x) {
                    synchronized (live) {
                        live.remove(w);
                    }
                    scheduler.release(w.device);
                    SweepRun run = w.current;
                    if (run != null) { // died during a run (killed, crashed, out of memory)
                        w.current = null;
                        ended(context, listener, run, x.exitCode());
                    }
                }
            }
        } finally {
            List<Process> ps;
            synchronized (live) {
                ps = live.stream().map(w -> w.process).toList();
            }
            stop(ps);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
    }

    private static void ended(SweepContext context, SweepListener listener, SweepRun run, int exitCode)
            throws IOException {
        listener.onStatus(run, endStatus(context.layout(), run, exitCode), endInfo(context.layout(), run, exitCode));
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


    /** Hands {@code w} its next run, or closes its input (it ends) when it has served its share or none is left. */
    private static void feed(SweepContext context, Worker w, Deque<SweepRun> pending, int perJvm) throws IOException {
        if (pending.isEmpty() || w.sent >= perJvm) {
            close(w);
            return;
        }
        SweepRun run = pending.poll();
        SweepLayout l = context.layout();
        Files.createDirectories(l.runDir(run.id()));
        w.current = run;
        w.last = run;
        w.sent++;
        try {
            w.stdin.write(RunWorker.line(l.runDir(run.id()), l.runConfig(run.id())));
            w.stdin.newLine();
            w.stdin.flush();
        } catch (IOException e) {
            // the worker died before it read the run: its exit event reports the run as failed
        }
        if (w.sent >= perJvm || pending.isEmpty()) {
            close(w); // it ends after this run instead of waiting for more
        }
    }

    private static void close(Worker w) {
        if (!w.closed) {
            w.closed = true;
            try {
                w.stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static Worker start(SweepContext context, WorkerCommand command, Device device, int threads, int perJvm,
                                BlockingQueue<Event> events) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command.loopCommand(perJvm));
        pb.environment().putAll(WorkerCommand.environment(device, threads));
        Process p = pb.start();
        Worker w = new Worker(p, device);
        Thread out = new Thread(() -> readProtocol(context, w, events), "cllab-worker-" + p.pid() + "-out");
        Thread err = new Thread(() -> copy(context, w, p.getErrorStream(), false), "cllab-worker-" + p.pid() + "-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        p.onExit().thenAccept(done -> {
            try {
                out.join(); // every protocol line is in before the exit event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add(new Exited(w, done.exitValue()));
        });
        return w;
    }

    /** Protocol lines become events; anything else the process printed goes to its current run's worker.out. */
    private static void readProtocol(SweepContext context, Worker w, BlockingQueue<Event> events) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(w.process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                RunWorker.Event e = RunWorker.Event.parse(line);
                if (e == null) {
                    append(context, w, line, true);
                } else {
                    events.add(e.start() ? new Started(w) : new Ended(w, e.exitCode()));
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private static void copy(SweepContext context, Worker w, InputStream in, boolean out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                append(context, w, line, out);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private static void append(SweepContext context, Worker w, String line, boolean out) {
        SweepRun run = w.target();
        if (run == null) {
            return;
        }
        Path f = out ? context.layout().workerOut(run.id()) : context.layout().workerErr(run.id());
        try {
            Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // best effort: the run's own streams are written by the worker itself
        }
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
