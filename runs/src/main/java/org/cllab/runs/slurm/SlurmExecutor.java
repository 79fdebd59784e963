package org.cllab.runs.slurm;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        SlurmClient client = clients.get();
        try {
            client.ping();
            int k = context.plan().spec().slurm().runsPerTask();
            int tasks = Math.max(1, (context.plan().runs().size() + k - 1) / k);
            ArrayJobScript probe = script(context, indices(Math.min(tasks, client.maxArraySize())), 0,
                    Path.of("/dev/null"), Path.of("/tmp"));
            client.testSubmit(probe.render());
        } catch (SlurmException e) {
            throw new ConfigException("--executor", "slurm", e.getMessage());
        }
    }

    /** One array task handed to SLURM: one run, or several ({@code slurm.runs_per_task}) run in one JVM. */
    private static final class Task {
        final List<SweepRun> runs;
        final int session;
        final int index;
        final Path taskList;
        long jobId;
        int attempt;
        boolean reportedRunning;
        /** Polled at least once since its submission and not pending then. */
        boolean started;
        final Set<String> ended = new HashSet<>();

        Task(List<SweepRun> runs, int session, int index, Path taskList, long jobId, int attempt) {
            this.runs = runs;
            this.session = session;
            this.index = index;
            this.taskList = taskList;
            this.jobId = jobId;
            this.attempt = attempt;
        }

        String ids() {
            return String.join(",", runs.stream().map(SweepRun::id).toList());
        }
    }

    /** An array not submitted yet: tasks of one task list, one attempt. */
    private record Pending(int session, int attempt, Path taskList, List<Task> tasks) {
    }

    /** What the poll loop needs besides the tasks. */
    private final class Session {
        final SweepContext context;
        final SlurmClient client;
        final SubmissionLog log;
        final SweepListener listener;
        final int maxConcurrent;
        final int maxRetries;
        final int submitLimit;
        final List<Task> active;
        final Deque<Pending> queue = new ArrayDeque<>();
        /** Throttle (%N) of each array this session submitted with one; raised as other arrays' tasks end. */
        final Map<Long, Integer> throttles = new LinkedHashMap<>();

        Session(SweepContext context, SlurmClient client, SubmissionLog log, SweepListener listener, List<Task> active,
                int submitLimit) {
            this.context = context;
            this.client = client;
            this.log = log;
            this.listener = listener;
            this.active = active;
            this.maxConcurrent = context.plan().spec().slurm().maxConcurrent();
            this.maxRetries = context.plan().spec().slurm().maxRetries();
            this.submitLimit = submitLimit;
        }
    }

    @Override
    public void execute(SweepContext context, List<SweepRun> runs, SweepListener listener)
            throws IOException, InterruptedException {
        SlurmClient client = clients.get();
        SubmissionLog log = SubmissionLog.read(context.layout().root());
        Files.createDirectories(log.logDir());
        Files.deleteIfExists(log.cancelMarker()); // a cancel of an earlier session does not stop this one
        SweepSpec.SlurmOptions o = context.plan().spec().slurm();
        List<Task> active = adopt(context, client, log, runs, listener);
        int submitLimit = o.maxSubmitJobs() > 0 ? o.maxSubmitJobs() : client.maxSubmitJobs();
        Session ses = new Session(context, client, log, listener, active, submitLimit);

        Set<String> adopted = new HashSet<>();
        active.forEach(t -> t.runs.forEach(r -> adopted.add(r.id())));
        List<SweepRun> fresh = new ArrayList<>(runs);
        fresh.removeIf(r -> adopted.contains(r.id()));
        if (!fresh.isEmpty()) {
            int k = o.runsPerTask();
            int perArray = client.maxArraySize();
            if (submitLimit > 0) {
                perArray = Math.min(perArray, submitLimit);
            }
            List<List<SweepRun>> packs = new ArrayList<>();
            for (int i = 0; i < fresh.size(); i += k) {
                packs.add(fresh.subList(i, Math.min(fresh.size(), i + k)));
            }
            int session = log.nextSession();
            int arrays = (packs.size() + perArray - 1) / perArray;
            for (int c = 0; c < arrays; c++) {
                Path taskList = c == 0 ? log.taskList(session)
                        : log.dir().resolve(String.format("s%02d-c%02d-tasks.txt", session, c + 1));
                StringBuilder lines = new StringBuilder();
                List<Task> tasks = new ArrayList<>();
                List<List<SweepRun>> chunk = packs.subList(c * perArray, Math.min(packs.size(), (c + 1) * perArray));
                for (int i = 0; i < chunk.size(); i++) {
                    for (SweepRun r : chunk.get(i)) {
                        lines.append(ArrayJobScript.taskLine(context.layout().runDir(r.id()),
                                context.layout().runConfig(r.id()))).append('\n');
                    }
                    tasks.add(new Task(List.copyOf(chunk.get(i)), session, i, taskList, 0, 1));
                }
                AtomicFiles.write(taskList, lines.toString());
                ses.queue.add(new Pending(session, 1, taskList, tasks));
            }
            if (arrays > 1) {
                console.println("slurm: " + fresh.size() + " runs in " + packs.size() + " array tasks make " + arrays
                        + " arrays (MaxArraySize " + client.maxArraySize()
                        + (submitLimit > 0 ? ", at most " + submitLimit + " tasks submitted at once" : "") + ")");
            }
        }

        Thread hint = new Thread(() -> System.err.println("cl: the sweep's SLURM tasks keep running; rerun the "
                + "sweep to wait for them (and to submit the rest), or cancel them with ./cl cancel "
                + context.layout().root()), "cllab-slurm-hint");
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            poll(ses);
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
        Set<String> taken = new HashSet<>();
        List<SubmissionLog.Submission> subs = new ArrayList<>(log.submissions());
        java.util.Collections.reverse(subs); // newest first: a run's latest submission decides
        for (SubmissionLog.Submission s : subs) {
            List<Integer> mine = new ArrayList<>();
            s.runs().keySet().stream().sorted().forEach(i -> {
                List<String> ids = s.runIds(i);
                if (ids.stream().anyMatch(wanted::containsKey) && ids.stream().noneMatch(taken::contains)) {
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
                    List<SweepRun> pack = s.runIds(st.arrayTaskId()).stream().filter(wanted::containsKey)
                            .map(wanted::get).toList();
                    Task t = new Task(pack, s.session(), st.arrayTaskId(), s.taskList(), s.jobId(), s.attempt());
                    adopted.add(t);
                    pack.forEach(r -> taken.add(r.id()));
                    console.println("slurm: run" + (pack.size() == 1 ? " " : "s ") + t.ids() + " still "
                            + st.state().name().toLowerCase() + " as array task " + st.label()
                            + " of an earlier session; waiting for it");
                    for (SweepRun r : pack) {
                        listener.onStatus(r, RunStatus.QUEUED, info(t, st));
                    }
                }
            }
        }
        return adopted;
    }

    private void poll(Session ses) throws IOException, InterruptedException {
        List<Task> active = ses.active;
        long interval = POLL_MIN.toMillis();
        long outageSince = -1;
        submitReady(ses);
        while (!active.isEmpty() || !ses.queue.isEmpty()) {
            Thread.sleep(interval);
            Map<Long, List<Task>> byJob = new TreeMap<>();
            active.forEach(t -> byJob.computeIfAbsent(t.jobId, k -> new ArrayList<>()).add(t));
            Map<Long, Map<Integer, SlurmTask>> states = new TreeMap<>();
            try {
                for (Map.Entry<Long, List<Task>> e : byJob.entrySet()) {
                    Map<Integer, SlurmTask> m = new TreeMap<>();
                    for (SlurmTask st : ses.client.tasks(e.getKey(), e.getValue().stream().map(t -> t.index)
                            .toList())) {
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
            boolean cancelled = Files.exists(ses.log.cancelMarker());
            Map<Path, Map<Integer, List<Task>>> retries = new LinkedHashMap<>(); // task list -> attempt -> tasks
            for (Task t : new ArrayList<>(active)) {
                SlurmTask st = states.get(t.jobId).get(t.index);
                if (st != null && !st.state().isFinal()) {
                    if (!st.state().isQueued()) {
                        t.started = true;
                        if (!t.reportedRunning) {
                            t.reportedRunning = true;
                            for (SweepRun r : t.runs) {
                                ses.listener.onStatus(r, RunStatus.RUNNING, info(t, st));
                            }
                            changed = true;
                        }
                        if (t.runs.size() > 1) { // a packed task: its runs finish one after the other
                            for (SweepRun r : t.runs) {
                                if (!t.ended.contains(r.id())
                                        && ses.context.layout().phase(r.id()) == SweepLayout.Phase.FINISHED) {
                                    t.ended.add(r.id());
                                    ses.listener.onStatus(r, RunStatus.FINISHED, info(t, st));
                                    changed = true;
                                }
                            }
                        }
                    }
                    continue;
                }
                changed = true;
                t.started = true;
                active.remove(t);
                Map<String, String> info = info(t, st);
                List<SweepRun> unfinished = new ArrayList<>();
                for (SweepRun r : t.runs) {
                    if (t.ended.contains(r.id())) {
                        continue;
                    }
                    String diverged = ses.context.layout().divergedReason(r.id());
                    if (ses.context.layout().phase(r.id()) == SweepLayout.Phase.FINISHED) {
                        t.ended.add(r.id());
                        ses.listener.onStatus(r, RunStatus.FINISHED, info);
                    } else if (diverged != null) { // deterministic: a retry would diverge again
                        t.ended.add(r.id());
                        Map<String, String> why = new LinkedHashMap<>(info);
                        why.put("reason", diverged);
                        ses.listener.onStatus(r, RunStatus.FAILED, why);
                    } else {
                        unfinished.add(r);
                    }
                }
                if (unfinished.isEmpty()) {
                    continue;
                }
                if ((st != null && st.state() == JobState.CANCELLED) || cancelled) {
                    info.remove("exit_code"); // SLURM's 0 (pending) or 143 (SIGTERM) says nothing here
                    info.remove("signal");
                    info.put("error", "cancelled");
                    unfinished.forEach(r -> ses.listener.onStatus(r, RunStatus.FAILED, info));
                } else if (t.attempt <= ses.maxRetries) {
                    console.println("slurm: run" + (unfinished.size() == 1 ? " " : "s ")
                            + String.join(",", unfinished.stream().map(SweepRun::id).toList()) + " (array task "
                            + t.jobId + "_" + t.index + ") ended " + describe(st) + " without a finished "
                            + "summary.json; resubmitting (attempt " + (t.attempt + 1) + " of " + (ses.maxRetries + 1)
                            + ")");
                    t.attempt++;
                    t.reportedRunning = false;
                    t.started = false;
                    retries.computeIfAbsent(t.taskList, k -> new TreeMap<>())
                            .computeIfAbsent(t.attempt, k -> new ArrayList<>()).add(t);
                } else {
                    // retries used up: a run stopped at a safe point (preemption, time limit) is resumed by the next
                    // session, not failed
                    unfinished.forEach(r -> ses.listener.onStatus(r, ses.context.layout().interrupted(r.id())
                            ? RunStatus.INTERRUPTED : RunStatus.FAILED, info));
                }
            }
            for (Map.Entry<Path, Map<Integer, List<Task>>> byList : retries.entrySet()) {
                for (Map.Entry<Integer, List<Task>> byAttempt : byList.getValue().entrySet()) {
                    List<Task> ts = byAttempt.getValue();
                    ses.queue.addFirst(new Pending(ts.get(0).session, byAttempt.getKey(), byList.getKey(), ts));
                }
            }
            if (cancelled && !ses.queue.isEmpty()) {
                for (Pending p : ses.queue) {
                    for (Task t : p.tasks()) {
                        for (SweepRun r : t.runs) {
                            if (!t.ended.contains(r.id())) {
                                ses.listener.onStatus(r, RunStatus.FAILED, Map.of("error", "cancelled"));
                            }
                        }
                    }
                }
                ses.queue.clear();
            }
            raiseThrottles(ses, states);
            if (submitReady(ses)) {
                changed = true;
            }
            interval = changed ? POLL_MIN.toMillis() : Math.min(POLL_MAX.toMillis(), interval * 3 / 2);
        }
    }

    /**
     * Submits the queued arrays that fit: within the submit limit (tasks queued or running at once) and, with
     * {@code max_concurrent}, only when no submitted task is still waiting to start and fewer than
     * {@code max_concurrent} run; the new array's {@code %N} is the free share, raised later by
     * {@link #raiseThrottles}. With nothing active, the next array is always submitted.
     *
     * @return whether something was submitted
     */
    private boolean submitReady(Session ses) throws IOException {
        boolean any = false;
        while (!ses.queue.isEmpty()) {
            Pending p = ses.queue.peek();
            int live = ses.active.size();
            if (live > 0 && ses.submitLimit > 0 && live + p.tasks().size() > ses.submitLimit) {
                break;
            }
            int throttle = 0;
            if (ses.maxConcurrent > 0) {
                if (ses.active.stream().anyMatch(t -> !t.started)) {
                    break;
                }
                int free = ses.maxConcurrent - live;
                if (free <= 0) {
                    break;
                }
                throttle = free;
            }
            Map<Integer, Task> byIndex = new TreeMap<>();
            p.tasks().forEach(t -> byIndex.put(t.index, t));
            long job;
            try {
                job = submit(ses.context, ses.client, ses.log, p.session(), p.attempt(), p.taskList(), byIndex,
                        throttle);
            } catch (SlurmException e) {
                if (live > 0 && limitReached(e)) {
                    console.println("slurm: the cluster refused another array for now (" + e.getMessage()
                            + "); submitting it when earlier tasks have ended");
                    break;
                }
                throw new ConfigException("--executor", "slurm", e.getMessage());
            }
            ses.queue.poll();
            if (throttle > 0) {
                ses.throttles.put(job, throttle);
            }
            for (Task t : p.tasks()) {
                t.jobId = job;
                ses.active.add(t);
                for (SweepRun r : t.runs) {
                    if (!t.ended.contains(r.id())) {
                        ses.listener.onStatus(r, RunStatus.QUEUED, info(t, null));
                    }
                }
            }
            any = true;
        }
        return any;
    }

    /** An sbatch refusal that passes when earlier jobs end (submit limits, a full controller). */
    private static boolean limitReached(SlurmException e) {
        String m = e.getMessage();
        return m.contains("MaxSubmitJob") || m.contains("SubmitJobLimit") || m.contains("MaxJobCount")
                || m.contains("temporarily unable");
    }

    /**
     * {@code max_concurrent} across arrays: an array submitted while others ran got only the free share as its
     * {@code %N}; as the others' tasks end (none of them waits to start), its share grows back to the limit.
     */
    private void raiseThrottles(Session ses, Map<Long, Map<Integer, SlurmTask>> states) {
        if (ses.maxConcurrent <= 0 || ses.throttles.isEmpty()) {
            return;
        }
        Map<Long, Long> runningByJob = new TreeMap<>();
        for (Task t : ses.active) {
            SlurmTask st = states.getOrDefault(t.jobId, Map.of()).get(t.index);
            if (st != null && !st.state().isFinal() && !st.state().isQueued()) {
                runningByJob.merge(t.jobId, 1L, Long::sum);
            }
        }
        long runningAll = runningByJob.values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<Long, Integer> e : ses.throttles.entrySet()) {
            if (e.getValue() >= ses.maxConcurrent) {
                continue;
            }
            long others = runningAll - runningByJob.getOrDefault(e.getKey(), 0L);
            int allowed = (int) Math.min(ses.maxConcurrent, ses.maxConcurrent - others);
            if (allowed > e.getValue()) {
                try {
                    ses.client.setThrottle(e.getKey(), allowed);
                    e.setValue(allowed);
                } catch (SlurmException ex) {
                    console.println("slurm: could not raise the task limit of array " + e.getKey() + ": "
                            + ex.getMessage());
                }
            }
        }
        ses.throttles.values().removeIf(v -> v >= ses.maxConcurrent);
    }

    private long submit(SweepContext context, SlurmClient client, SubmissionLog log, int session, int attempt,
                        Path taskList, Map<Integer, Task> byIndex, int throttle) throws IOException {
        ArrayJobScript script = script(context, List.copyOf(byIndex.keySet()), throttle, taskList, log.logDir());
        int seq = (int) log.submissions().stream().filter(s -> s.session() == session).count() + 1;
        Path file = log.dir().resolve(String.format("s%02d-%d.sh", session, seq));
        AtomicFiles.write(file, script.render());
        long job = client.submit(file, List.of());
        Map<Integer, String> ids = new TreeMap<>();
        byIndex.forEach((i, t) -> ids.put(i, t.ids()));
        log.add(new SubmissionLog.Submission(job, session, attempt, Instant.now().toString(), file, taskList, ids));
        int runs = byIndex.values().stream().mapToInt(t -> t.runs.size()).sum();
        console.println("slurm: submitted job array " + job + " (--array=" + script.arraySpec() + ", " + runs
                + " run" + (runs == 1 ? "" : "s") + (attempt > 1 ? ", attempt " + attempt : "") + "): " + file);
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

    /**
     * The array script for {@code indices} of {@code taskList} with the sweep's {@code slurm:} settings and
     * {@code throttle} as its {@code %N} (0 = none).
     */
    static ArrayJobScript script(SweepContext context, List<Integer> indices, int throttle, Path taskList,
                                 Path logDir) {
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
            return new ArrayJobScript(jobName(context), indices, throttle,
                    o.cpusPerTask(), o.mem(), o.time(), o.gpus(), o.partition(), o.account(), o.extraArgs(),
                    logDir.toAbsolutePath(), taskList.toAbsolutePath(), prefix, Map.of(), o.runsPerTask());
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
