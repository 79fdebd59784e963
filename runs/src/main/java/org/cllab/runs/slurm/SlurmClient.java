package org.cllab.runs.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A thin layer over the SLURM command-line tools. Every call runs one tool with a timeout (a dead controller makes
 * {@code sinfo}/{@code sbatch} retry for many seconds); every wait has a deadline. Output is parsed by
 * {@link SlurmOutput} into {@link SlurmTask} records.
 *
 * <p>Task states come from, freshest first: {@code squeue -r} (live jobs), {@code scontrol show job} (live and
 * finished jobs, the latter for {@code MinJobAge} seconds), {@code sacct} (only when the cluster has accounting
 * storage; detected from {@code scontrol show config}) and the {@code jobcomp/filetxt} file when the cluster writes
 * one this process can read. A task none of them knows any more has ended in a way nobody recorded (e.g. cancelled
 * while pending); callers decide from their own files what happened to it.
 */
public final class SlurmClient {
    /** Default timeout of one tool call. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Default timeout of {@link #ping}. */
    public static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    /** Readers of the tools' output streams (blocking reads: not the common pool, which has one thread on 2 cores). */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slurm-tool-output");
        t.setDaemon(true);
        return t;
    });

    private final Map<String, String> environment;
    private final Duration callTimeout;
    private final Duration pingTimeout;
    private volatile Map<String, String> config;

    /**
     * @param environment variables set for every tool call on top of this process's environment (e.g.
     *                    {@code SLURM_CONF})
     * @param callTimeout timeout of one tool call
     * @param pingTimeout timeout of {@link #ping}
     */
    public SlurmClient(Map<String, String> environment, Duration callTimeout, Duration pingTimeout) {
        this.environment = Map.copyOf(environment);
        this.callTimeout = callTimeout;
        this.pingTimeout = pingTimeout;
    }

    /** The cluster this process's environment points at ({@code SLURM_CONF} or the system's slurm.conf). */
    public SlurmClient() {
        this(Map.of(), CALL_TIMEOUT, PING_TIMEOUT);
    }

    /** The cluster configured by {@code slurmConf}. */
    public static SlurmClient forConf(Path slurmConf) {
        return new SlurmClient(Map.of("SLURM_CONF", slurmConf.toAbsolutePath().toString()), CALL_TIMEOUT,
                PING_TIMEOUT);
    }

    /** Which slurm.conf the tools read: the {@code SLURM_CONF} given or inherited, else the system default. */
    public String confDescription() {
        String c = environment.getOrDefault("SLURM_CONF", System.getenv("SLURM_CONF"));
        return c == null ? "default slurm.conf" : "SLURM_CONF=" + c;
    }

    /**
     * Checks that the controller answers ({@code scontrol ping}, {@link #PING_TIMEOUT}) and returns its status line.
     *
     * @throws SlurmException one line naming the cause (tools missing, no configuration, controller down)
     */
    public String ping() {
        Output o = run(pingTimeout, "scontrol", "ping");
        String text = (o.out + " " + o.err).strip();
        if (o.exit != 0 || !text.contains("is UP")) {
            throw new SlurmException("SLURM controller unreachable (" + confDescription() + "): "
                    + firstMeaningfulLine(text));
        }
        return SlurmException.oneLine(o.out);
    }

    /** Submits {@code script} ({@code sbatch --parsable [args] script}) and returns the job id. */
    public long submit(Path script, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(args);
        cmd.add(script.toAbsolutePath().toString());
        Output o = run(callTimeout, cmd.toArray(String[]::new));
        if (o.exit != 0) {
            throw new SlurmException("sbatch " + script + " failed: " + firstMeaningfulLine(o.err + " " + o.out));
        }
        return SlurmOutput.parseSbatch(o.out);
    }

    /**
     * Asks the controller whether it would accept {@code scriptText} ({@code sbatch --test-only}, script on standard
     * input): resource requests, partition, GRES and options are checked, nothing is queued. Returns the
     * controller's estimate line.
     *
     * @throws SlurmException with the controller's reason when it would refuse the job
     */
    public String testSubmit(String scriptText) {
        Output o = runWithInput(callTimeout, scriptText, "sbatch", "--test-only");
        if (o.exit != 0) {
            throw new SlurmException("sbatch --test-only refused the job: " + firstMeaningfulLine(o.err + " " + o.out));
        }
        return SlurmException.oneLine(o.err + " " + o.out);
    }

    /** Live tasks of job (or array) {@code jobId}, one per array index ({@code squeue -h -r -j}); empty when none. */
    public List<SlurmTask> queue(long jobId) {
        Output o = run(callTimeout, "squeue", "-h", "-r", "-j", Long.toString(jobId), "-o", SlurmOutput.SQUEUE_FORMAT);
        if (o.exit != 0) {
            if (invalidJobId(o)) {
                return List.of();
            }
            throw failed("squeue", o);
        }
        return SlurmOutput.parseSqueue(o.out);
    }

    /**
     * The controller's records of job (or array) {@code jobId} ({@code scontrol show job -o}), live and finished
     * within {@code MinJobAge}; empty when the controller no longer knows the job.
     */
    public List<SlurmTask> records(long jobId) {
        Output o = run(callTimeout, "scontrol", "show", "job", Long.toString(jobId), "-o");
        if (o.exit != 0) {
            if (invalidJobId(o)) {
                return List.of();
            }
            throw failed("scontrol show job", o);
        }
        return SlurmOutput.parseScontrol(o.out);
    }

    /** Whether the cluster stores accounting ({@code AccountingStorageType} is not {@code accounting_storage/none}). */
    public boolean accountingEnabled() {
        String t = config().getOrDefault("AccountingStorageType", "accounting_storage/none");
        return !t.isBlank() && !t.equals("accounting_storage/none");
    }

    /** {@code sacct} records of job (or array) {@code jobId}; empty when accounting is disabled. */
    public List<SlurmTask> accounting(long jobId) {
        if (!accountingEnabled()) {
            return List.of();
        }
        Output o = run(callTimeout, "sacct", "-n", "-P", "-X", "-j", Long.toString(jobId),
                "--format=" + SlurmOutput.SACCT_FORMAT);
        if (o.exit != 0) {
            throw failed("sacct", o);
        }
        return SlurmOutput.parseSacct(o.out);
    }

    /**
     * Records of job (or array) {@code jobId} in the {@code jobcomp/filetxt} file, when the cluster writes one and
     * this process can read it (the controller's machine); empty otherwise.
     */
    public List<SlurmTask> completions(long jobId) {
        Map<String, String> c = config();
        if (!"jobcomp/filetxt".equals(c.get("JobCompType"))) {
            return List.of();
        }
        Path file = Path.of(c.getOrDefault("JobCompLoc", ""));
        if (!file.isAbsolute() || !Files.isReadable(file)) {
            return List.of();
        }
        try {
            return SlurmOutput.parseJobComp(Files.readString(file, StandardCharsets.UTF_8), jobId);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * One record per array index of job {@code jobId} (a plain job: one with index {@link SlurmTask#NOT_ARRAY}),
     * merged from all sources: a final state reported by any source wins (the freshest source first), otherwise the
     * live state. {@code sacct} and the jobcomp file are read only when some index in {@code expected} is missing
     * from the controller's answer. Sorted by index.
     */
    public List<SlurmTask> tasks(long jobId, Collection<Integer> expected) {
        List<SlurmTask> live = queue(jobId);
        List<SlurmTask> recs = records(jobId);
        TreeMap<Integer, SlurmTask> merged = new TreeMap<>();
        for (SlurmTask t : recs) {
            merged.put(t.arrayTaskId(), t);
        }
        for (SlurmTask t : live) {
            SlurmTask known = merged.get(t.arrayTaskId());
            if (known == null || !known.state().isFinal()) {
                merged.put(t.arrayTaskId(), t);
            }
        }
        if (!merged.keySet().containsAll(expected)) {
            List<SlurmTask> older = new ArrayList<>(completions(jobId));
            older.addAll(accounting(jobId)); // sacct is fresher than the jobcomp file: put last, so it wins
            for (SlurmTask t : older) {
                SlurmTask known = merged.get(t.arrayTaskId());
                if (known == null) {
                    merged.put(t.arrayTaskId(), t);
                }
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** Cancels job (or whole array) {@code jobId}. Cancelling an ended job is not an error. */
    public void cancel(long jobId) {
        Output o = run(callTimeout, "scancel", Long.toString(jobId));
        if (o.exit != 0 && !invalidJobId(o)) {
            throw failed("scancel", o);
        }
    }

    /** Cancels the given tasks of array {@code arrayJobId} ({@code scancel 12_[3,5-7]}). */
    public void cancel(long arrayJobId, Collection<Integer> taskIds) {
        if (taskIds.isEmpty()) {
            return;
        }
        Output o = run(callTimeout, "scancel", arrayJobId + "_[" + SlurmOutput.compressIndices(taskIds) + "]");
        if (o.exit != 0 && !invalidJobId(o)) {
            throw failed("scancel", o);
        }
    }

    /**
     * Polls {@link #tasks} until every index in {@code expected} is final or unknown to every source, and returns
     * the last answer.
     *
     * @throws SlurmException when {@code timeout} passes first
     */
    public List<SlurmTask> awaitEnd(long jobId, Collection<Integer> expected, Duration timeout, Duration poll)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SlurmTask> now = tasks(jobId, expected);
            boolean allEnded = now.stream().allMatch(t -> t.state().isFinal());
            if (allEnded) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new SlurmException("job " + jobId + " did not end within " + timeout.toSeconds() + " s: "
                        + now.stream().map(t -> t.label() + "=" + t.state()).toList());
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /**
     * The cluster's {@code MaxArraySize} ({@code scontrol show config}; SLURM's default 1001 when absent): array
     * indices must stay below it.
     */
    public int maxArraySize() {
        try {
            return Math.max(1, Integer.parseInt(config().getOrDefault("MaxArraySize", "1001").trim()));
        } catch (NumberFormatException e) {
            return 1001;
        }
    }

    /**
     * The smallest positive {@code MaxSubmitJobs} of this user's associations ({@code sacctmgr}), or 0 when the
     * cluster has no accounting, sets no such limit, or {@code sacctmgr} does not answer.
     */
    public int maxSubmitJobs() {
        if (!accountingEnabled()) {
            return 0;
        }
        Output o = run(callTimeout, "sacctmgr", "-nP", "show", "assoc", "where",
                "user=" + System.getProperty("user.name"), "format=MaxSubmit");
        if (o.exit != 0) {
            return 0;
        }
        int min = 0;
        for (String l : o.out.lines().map(String::strip).toList()) {
            try {
                int v = Integer.parseInt(l);
                if (v > 0 && (min == 0 || v < min)) {
                    min = v;
                }
            } catch (NumberFormatException ignored) {
                // empty: no limit on that association
            }
        }
        return min;
    }

    /** Sets the {@code %N} limit of array {@code arrayJobId} ({@code scontrol update ArrayTaskThrottle=N}). */
    public void setThrottle(long arrayJobId, int throttle) {
        Output o = run(callTimeout, "scontrol", "update", "JobId=" + arrayJobId, "ArrayTaskThrottle=" + throttle);
        if (o.exit != 0 && !invalidJobId(o)) {
            throw failed("scontrol update ArrayTaskThrottle", o);
        }
    }

    /** {@code scontrol show config}, read once per client. */
    public Map<String, String> config() {
        Map<String, String> c = config;
        if (c == null) {
            Output o = run(callTimeout, "scontrol", "show", "config");
            if (o.exit != 0) {
                throw failed("scontrol show config", o);
            }
            c = Map.copyOf(SlurmOutput.parseConfig(o.out));
            config = c;
        }
        return c;
    }

    private static boolean invalidJobId(Output o) {
        return (o.err + o.out).contains("Invalid job id");
    }

    private static SlurmException failed(String what, Output o) {
        return new SlurmException(what + " failed (exit " + o.exit + "): " + firstMeaningfulLine(o.err + " " + o.out));
    }

    /** The fatal/error line of a tool's output if there is one (the cause), else its first line. */
    static String firstMeaningfulLine(String text) {
        List<String> lines = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "(no output)";
        }
        for (String l : lines) {
            if (l.contains("fatal:")) {
                return l;
            }
        }
        for (String l : lines) {
            if (l.contains("error:") && !l.contains("resolve_ctls_from_dns_srv")) {
                return l;
            }
        }
        return lines.get(0);
    }

    private record Output(int exit, String out, String err) {
    }

    private Output run(Duration timeout, String... cmd) {
        return runWithInput(timeout, null, cmd);
    }

    private Output runWithInput(Duration timeout, String stdin, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SlurmException("cannot run " + cmd[0] + " (" + e.getMessage() + "); install the SLURM client "
                    + "tools (Debian: apt-get install slurm-client)");
        }
        try {
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), READERS);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), READERS);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new SlurmException(String.join(" ", cmd) + " did not answer within " + timeout.toSeconds()
                        + " s (" + confDescription() + "; is the controller up?)");
            }
            return new Output(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException(cmd[0] + " interrupted");
        } catch (ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            p.destroyForcibly();
            throw new SlurmException("reading the output of " + cmd[0] + " failed: " + e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
