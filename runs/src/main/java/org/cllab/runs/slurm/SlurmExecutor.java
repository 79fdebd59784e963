package org.cllab.runs.slurm;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.sweep.RunStatus;
import org.cllab.runs.sweep.SweepContext;
import org.cllab.runs.sweep.SweepExecutor;
import org.cllab.runs.sweep.SweepLayout;
import org.cllab.runs.sweep.SweepListener;
import org.cllab.runs.sweep.SweepRun;
import org.cllab.runs.sweep.SweepSpec;
import org.cllab.runs.sweep.WorkerCommand;

/**
 * Runs a sweep as SLURM job arrays ({@code ./cl sweep --executor slurm}).
 *
 * <ol>
 *   <li>{@link #preflight}: the {@code slurm:} settings make a valid script, the controller answers
 *       ({@code scontrol ping}) and would accept the array ({@code sbatch --test-only}); otherwise a one-line error
 *       before anything is written or submitted.</li>
 *   <li>Tasks of an earlier session of this sweep that are still queued or running (the sweep process was killed,
 *       SLURM jobs live on) are adopted: waited for, not submitted twice.</li>
 *   <li>The other runs (the sweep runner hands over only unfinished ones; a partly done run resumes from its last
 *       checkpoint) are written to a task list and submitted as one array ({@link ArrayJobScript}, {@code --array}
 *       with {@code slurm.max_concurrent} as the {@code %} limit).</li>
 *   <li>Polls with backoff ({@link SlurmClient#tasks}); reports queued / running / finished / failed to the listener
 *       (the sweep's progress line and index), with {@code slurm_job_id} and {@code slurm_array_task_id}.</li>
 *   <li>A task that ended without a finished {@code summary.json} (failed, timed out, node failure, vanished) is
 *       resubmitted, as a new array of only those indices, up to {@code slurm.max_retries} times; a cancelled task
 *       is not ({@code ./cl cancel DIR}).</li>
 * </ol>
 * When the sweep process is interrupted it cancels its tasks; when it is killed they keep running and the next
 * session adopts them.
 */
public final class SlurmExecutor implements SweepExecutor {
    /** Shortest and longest poll interval; the interval grows by half while nothing changes. */
    public static final Duration POLL_MIN = Duration.ofMillis(250);
    public static final Duration POLL_MAX = Duration.ofSeconds(5);
    /** How long the controller may stay unreachable during a sweep before the sweep process gives up waiting. */
    public static final Duration OUTAGE_LIMIT = Duration.ofMinutes(5);

    private final Supplier<SlurmClient> clients;
    private final PrintStream console;

    /** The executor of {@code --executor slurm}: the cluster of this process's environment, messages on stderr. */
    public SlurmExecutor() {
        this(SlurmClient::new, System.err);
    }

    public SlurmExecutor(Supplier<SlurmClient> clients, PrintStream console) {
        this.clients = clients;
        this.console = console;
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public void preflight(SweepContext context) {
        int n = Math.max(1, context.plan().runs().size());
        ArrayJobScript probe = script(context, indices(n), Path.of("/dev/null"), Path.of("/tmp"));
        SlurmClient client = clients.get();
        try {
            client.ping();
            client.testSubmit(probe.render());
        } catch (SlurmException e) {
            throw new ConfigException("--executor", "slurm", e.getMessage());
        }
    }

    /** One run handed to SLURM in this session. */
    private static final class Task {
        final SweepRun run;
        final int session;
        final int index;
        final Path taskList;
        long jobId;
        int attempt;
        boolean reportedRunning;

        Task(SweepRun run, int session, int index, Path taskList, long jobId, int attempt) {
            this.run = run;
            this.session = session;
            this.index = index;
            this.taskList = taskList;
            this.jobId = jobId;
            this.attempt = attempt;
        }
    }

    @Override
    public void execute(SweepContext context, List<SweepRun> runs, SweepListener listener)
            throws IOException, InterruptedException {
        SlurmClient client = clients.get();
        SubmissionLog log = SubmissionLog.read(context.layout().root());
        Files.createDirectories(log.logDir());
        Files.deleteIfExists(log.cancelMarker()); // a cancel of an earlier session does not stop this one
        int maxRetries = context.plan().spec().slurm().maxRetries();
        List<Task> active = adopt(context, client, log, runs, listener);

        List<SweepRun> fresh = new ArrayList<>(runs);
        fresh.removeIf(r -> active.stream().anyMatch(t -> t.run.id().equals(r.id())));
        if (!fresh.isEmpty()) {
            int session = log.nextSession();
            Path taskList = log.taskList(session);
            StringBuilder lines = new StringBuilder();
            Map<Integer, SweepRun> byIndex = new TreeMap<>();
            for (int i = 0; i < fresh.size(); i++) {
                SweepRun r = fresh.get(i);
                lines.append(ArrayJobScript.taskLine(context.layout().runDir(r.id()), context.layout().runConfig(r.id())))
                        .append('\n');
                byIndex.put(i, r);
            }
            AtomicFiles.write(taskList, lines.toString());
            long job = submit(context, client, log, session, 1, taskList, byIndex);
            for (Map.Entry<Integer, SweepRun> e : byIndex.entrySet()) {
                Task t = new Task(e.getValue(), session, e.getKey(), taskList, job, 1);
                active.add(t);
                listener.onStatus(t.run, RunStatus.QUEUED, info(t, null));
            }
        }

        Thread hint = new Thread(() -> System.err.println("cl: the sweep's SLURM tasks keep running; rerun the "
                + "sweep to wait for them, or cancel them with ./cl cancel " + context.layout().root()),
                "cllab-slurm-hint");
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            poll(context, client, log, active, listener, maxRetries);
        } catch (InterruptedException e) {
            cancel(client, active);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hint);
            } catch (IllegalStateException ignored) {
                // shutting down: the hint is printed
            }
        }
    }

    /** Tasks of earlier sessions, still queued or running, whose runs are among {@code runs}. */
    private List<Task> adopt(SweepContext context, SlurmClient client, SubmissionLog log, List<SweepRun> runs,
                             SweepListener listener) {
        Map<String, SweepRun> wanted = new LinkedHashMap<>();
        runs.forEach(r -> wanted.put(r.id(), r));
        List<Task> adopted = new ArrayList<>();
        List<SubmissionLog.Submission> subs = new ArrayList<>(log.submissions());
        java.util.Collections.reverse(subs); // newest first: a run's latest submission decides
        for (SubmissionLog.Submission s : subs) {
            List<Integer> mine = new ArrayList<>();
            s.runs().forEach((i, id) -> {
                if (wanted.containsKey(id) && adopted.stream().noneMatch(t -> t.run.id().equals(id))) {
                    mine.add(i);
                }
            });
            if (mine.isEmpty()) {
                continue;
            }
            String name = jobName(context);
            for (SlurmTask st : client.tasks(s.jobId(), mine)) {
                // the name check guards against a reused job id (a cluster reinstalled since that session)
                if (mine.contains(st.arrayTaskId()) && !st.state().isFinal() && st.name().equals(name)) {
                    Task t = new Task(wanted.get(s.runs().get(st.arrayTaskId())), s.session(), st.arrayTaskId(),
                            s.taskList(), s.jobId(), s.attempt());
                    adopted.add(t);
                    console.println("slurm: run " + t.run.id() + " is still " + st.state().name().toLowerCase()
                            + " as array task " + st.label() + " of an earlier session; waiting for it");
                    listener.onStatus(t.run, RunStatus.QUEUED, info(t, st));
                }
            }
        }
        return adopted;
    }

    private void poll(SweepContext context, SlurmClient client, SubmissionLog log, List<Task> active,
                      SweepListener listener, int maxRetries) throws IOException, InterruptedException {
        long interval = POLL_MIN.toMillis();
        long outageSince = -1;
        while (!active.isEmpty()) {
            Thread.sleep(interval);
            Map<Long, List<Task>> byJob = new TreeMap<>();
            active.forEach(t -> byJob.computeIfAbsent(t.jobId, k -> new ArrayList<>()).add(t));
            Map<Long, Map<Integer, SlurmTask>> states = new TreeMap<>();
            try {
                for (Map.Entry<Long, List<Task>> e : byJob.entrySet()) {
                    Map<Integer, SlurmTask> m = new TreeMap<>();
                    for (SlurmTask st : client.tasks(e.getKey(), e.getValue().stream().map(t -> t.index).toList())) {
                        m.put(st.arrayTaskId(), st);
                    }
                    states.put(e.getKey(), m);
                }
                if (outageSince >= 0) {
                    console.println("slurm: controller answers again");
                    outageSince = -1;
                }
            } catch (SlurmException e) {
                if (outageSince < 0) {
                    outageSince = System.nanoTime();
                    console.println("slurm: polling failed, retrying for up to " + OUTAGE_LIMIT.toMinutes()
                            + " min: " + e.getMessage());
                } else if (System.nanoTime() - outageSince > OUTAGE_LIMIT.toNanos()) {
                    throw new SlurmException("SLURM controller unreachable for " + OUTAGE_LIMIT.toMinutes()
                            + " min while the sweep's tasks run (they continue; rerun the sweep to wait for them): "
                            + e.getMessage());
                }
                interval = POLL_MAX.toMillis();
                continue;
            }

            boolean changed = false;
            Map<Path, Map<Integer, List<Task>>> retries = new LinkedHashMap<>(); // task list -> attempt -> tasks
            for (Task t : new ArrayList<>(active)) {
                SlurmTask st = states.get(t.jobId).get(t.index);
                if (st != null && !st.state().isFinal()) {
                    if (!t.reportedRunning && !st.state().isQueued()) {
                        t.reportedRunning = true;
                        listener.onStatus(t.run, RunStatus.RUNNING, info(t, st));
                        changed = true;
                    }
                    continue;
                }
                changed = true;
                active.remove(t);
                boolean finished = context.layout().phase(t.run.id()) == SweepLayout.Phase.FINISHED;
                Map<String, String> info = info(t, st);
                String diverged = context.layout().divergedReason(t.run.id());
                if (finished) {
                    listener.onStatus(t.run, RunStatus.FINISHED, info);
                } else if (diverged != null) { // deterministic: a retry would diverge again
                    info.put("reason", diverged);
                    listener.onStatus(t.run, RunStatus.FAILED, info);
                } else if ((st != null && st.state() == JobState.CANCELLED) || Files.exists(log.cancelMarker())) {
                    info.remove("exit_code"); // SLURM's 0 (pending) or 143 (SIGTERM) says nothing here
                    info.remove("signal");
                    info.put("error", "cancelled");
                    listener.onStatus(t.run, RunStatus.FAILED, info);
                } else if (t.attempt <= maxRetries) {
                    console.println("slurm: run " + t.run.id() + " (array task " + t.jobId + "_" + t.index + ") ended "
                            + describe(st) + " without a finished summary.json; resubmitting (attempt "
                            + (t.attempt + 1) + " of " + (maxRetries + 1) + ")");
                    t.attempt++;
                    retries.computeIfAbsent(t.taskList, k -> new TreeMap<>())
                            .computeIfAbsent(t.attempt, k -> new ArrayList<>()).add(t);
                } else {
                    // retries used up: a run stopped at a safe point (preemption, time limit) is resumed by the next
                    // session, not failed
                    listener.onStatus(t.run, context.layout().interrupted(t.run.id()) ? RunStatus.INTERRUPTED
                            : RunStatus.FAILED, info);
                }
            }
            for (Map.Entry<Path, Map<Integer, List<Task>>> byList : retries.entrySet()) {
                for (Map.Entry<Integer, List<Task>> byAttempt : byList.getValue().entrySet()) {
                    List<Task> ts = byAttempt.getValue();
                    Map<Integer, SweepRun> byIndex = new TreeMap<>();
                    ts.forEach(t -> byIndex.put(t.index, t.run));
                    long job = submit(context, client, log, ts.get(0).session, byAttempt.getKey(), byList.getKey(),
                            byIndex);
                    for (Task t : ts) {
                        t.jobId = job;
                        active.add(t);
                        listener.onStatus(t.run, RunStatus.QUEUED, info(t, null));
                    }
                }
            }
            interval = changed ? POLL_MIN.toMillis() : Math.min(POLL_MAX.toMillis(), interval * 3 / 2);
        }
    }

    private long submit(SweepContext context, SlurmClient client, SubmissionLog log, int session, int attempt,
                        Path taskList, Map<Integer, SweepRun> byIndex) throws IOException {
        ArrayJobScript script = script(context, List.copyOf(byIndex.keySet()), taskList, log.logDir());
        int seq = (int) log.submissions().stream().filter(s -> s.session() == session).count() + 1;
        Path file = log.dir().resolve(String.format("s%02d-%d.sh", session, seq));
        AtomicFiles.write(file, script.render());
        long job;
        try {
            job = client.submit(file, List.of());
        } catch (SlurmException e) {
            throw new ConfigException("--executor", "slurm", e.getMessage());
        }
        Map<Integer, String> ids = new TreeMap<>();
        byIndex.forEach((i, r) -> ids.put(i, r.id()));
        log.add(new SubmissionLog.Submission(job, session, attempt, Instant.now().toString(), file, taskList, ids));
        console.println("slurm: submitted job array " + job + " (--array=" + script.arraySpec() + ", " + byIndex.size()
                + " run" + (byIndex.size() == 1 ? "" : "s") + (attempt > 1 ? ", attempt " + attempt : "") + "): "
                + file);
        return job;
    }

    /**
     * {@code ./cl cancel DIR}: cancels every job array recorded in {@code DIR/slurm/jobs.json} that still has tasks
     * in the queue, and leaves a marker so that a sweep process waiting for them does not resubmit them.
     *
     * @return the job ids cancelled (those with live tasks)
     * @throws ConfigException when {@code sweepDir} has no SLURM bookkeeping
     */
    public static List<Long> cancelSweep(Path sweepDir, SlurmClient client) throws IOException {
        SubmissionLog log = SubmissionLog.read(sweepDir);
        if (log.submissions().isEmpty()) {
            throw new ConfigException("cancel", sweepDir.toString(), "no SLURM jobs recorded (no "
                    + log.dir().resolve("jobs.json") + "); was the sweep run with --executor slurm?");
        }
        AtomicFiles.write(log.cancelMarker(), Instant.now().toString() + "\n");
        List<Long> cancelled = new ArrayList<>();
        for (SubmissionLog.Submission s : log.submissions()) {
            List<SlurmTask> live = client.queue(s.jobId());
            if (!live.isEmpty()) {
                client.cancel(s.jobId());
                cancelled.add(s.jobId());
            }
        }
        return cancelled;
    }

    private static void cancel(SlurmClient client, List<Task> active) {
        Map<Long, List<Integer>> byJob = new TreeMap<>();
        active.forEach(t -> byJob.computeIfAbsent(t.jobId, k -> new ArrayList<>()).add(t.index));
        byJob.forEach((job, idx) -> {
            try {
                client.cancel(job, idx);
            } catch (SlurmException e) {
                System.err.println("cl: could not cancel SLURM job " + job + ": " + e.getMessage());
            }
        });
    }

    /** The array script for {@code indices} of {@code taskList} with the sweep's {@code slurm:} settings. */
    static ArrayJobScript script(SweepContext context, List<Integer> indices, Path taskList, Path logDir) {
        SweepSpec.SlurmOptions o = context.plan().spec().slurm();
        WorkerCommand w = context.worker();
        List<String> prefix = new ArrayList<>();
        prefix.add(w.java());
        prefix.addAll(w.jvmOptions());
        prefix.add("-cp");
        prefix.add(String.join(File.pathSeparator, w.classPath()));
        prefix.add(WorkerCommand.MAIN);
        prefix.add("run");
        try {
            return new ArrayJobScript(jobName(context), indices, o.maxConcurrent(),
                    o.cpusPerTask(), o.mem(), o.time(), o.gpus(), o.partition(), o.account(), o.extraArgs(),
                    logDir.toAbsolutePath(), taskList.toAbsolutePath(), prefix, Map.of());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(context.plan().spec().file().toString(), "slurm", e.getMessage());
        }
    }

    /** {@code cl-sweep-} and the first 8 hex digits of the sweep hash. */
    static String jobName(SweepContext context) {
        return "cl-sweep-" + context.plan().hash().substring(0, 8);
    }

    private static Map<String, String> info(Task t, SlurmTask st) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("slurm_job_id", Long.toString(t.jobId));
        m.put("slurm_array_task_id", Integer.toString(t.index));
        m.put("attempt", Integer.toString(t.attempt));
        if (st != null) {
            m.put("slurm_task_job_id", Long.toString(st.jobId()));
            m.put("slurm_state", st.state().name());
            if (st.state().isFinal() && st.exitCode() != SlurmTask.NO_EXIT_CODE) {
                m.put("exit_code", Integer.toString(st.exitCode()));
                if (st.signal() != 0) {
                    m.put("signal", Integer.toString(st.signal()));
                }
            }
        }
        return m;
    }

    private static String describe(SlurmTask st) {
        if (st == null) {
            return "(no longer known to SLURM)";
        }
        return st.state().name() + (st.exitCode() == SlurmTask.NO_EXIT_CODE ? "" : " exit " + st.exitCode())
                + (st.signal() != 0 ? " signal " + st.signal() : "");
    }

    private static List<Integer> indices(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }
}
