package org.cllab.runs.sweep;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress of a sweep: done / running / failed / remaining and an ETA. On a terminal one line is redrawn in place
 * (every second and on every change); otherwise (CI, SLURM logs, files) one line is printed per state change.
 *
 * <p>ETA = mean run time of the runs finished in this session x (running + remaining) / concurrency; unknown
 * ({@code ?}) until a run has finished. A run's time is its own {@code wall_seconds} (from its {@code summary.json},
 * passed as {@code wall_seconds} in the listener's info) when known, else the time between its start and end as seen
 * here. The concurrency is the executor's limit (local: workers on their devices; SLURM: {@code slurm.max_concurrent});
 * without a limit (0), the most runs seen running at once in this session.
 */
public final class SweepProgress implements SweepListener, AutoCloseable {
    private final PrintStream out;
    private final boolean tty;
    private final int total;
    private final int concurrency;
    private final long start = System.nanoTime();
    private final Map<String, Long> started = new HashMap<>();
    private int done;
    private int running;
    private int failed;
    private int peakRunning;
    private int finishedThisSession;
    private double secondsThisSession;
    private final ScheduledExecutorService ticker;

    /**
     * @param total       runs in the sweep
     * @param done        runs already finished before this session
     * @param concurrency runs in flight at most; 0 = no limit known (the ETA uses the most runs seen at once)
     * @param tty         redraw one line in place
     */
    public SweepProgress(PrintStream out, boolean tty, int total, int done, int concurrency) {
        this.out = out;
        this.tty = tty;
        this.total = total;
        this.done = done;
        this.concurrency = Math.max(0, concurrency);
        if (tty) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cllab-sweep-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /** Whether standard error is an interactive terminal (and not a SLURM job). */
    public static boolean isTerminal() {
        return System.console() != null && System.getenv("SLURM_JOB_ID") == null;
    }

    @Override
    public synchronized void onStatus(SweepRun run, RunStatus status, Map<String, String> info) {
        String what;
        switch (status) {
            case RUNNING -> {
                running++;
                peakRunning = Math.max(peakRunning, running);
                started.put(run.id(), System.nanoTime());
                what = "started" + (info.containsKey("device") ? " on " + info.get("device") : "");
            }
            case FINISHED, FAILED, INTERRUPTED -> {
                Long t0 = started.remove(run.id());
                if (t0 != null) {
                    running--;
                }
                if (status == RunStatus.FINISHED) {
                    done++;
                    double own = parseSeconds(info.get("wall_seconds"));
                    if (t0 != null || own >= 0) {
                        finishedThisSession++;
                        secondsThisSession += own >= 0 ? own : (System.nanoTime() - t0) / 1e9;
                    }
                    what = "finished";
                } else if (status == RunStatus.INTERRUPTED) {
                    what = "interrupted (exit code " + info.getOrDefault("exit_code", "?") + "; resumed next session)";
                } else {
                    failed++;
                    what = "FAILED" + (info.containsKey("reason") ? " (" + info.get("reason") + ")"
                            : info.containsKey("exit_code") ? " (exit code " + info.get("exit_code") + ")"
                            : info.containsKey("error") ? " (" + info.get("error") + ")" : "");
                }
            }
            case QUEUED -> what = "queued";
            default -> what = status.key();
        }
        if (tty) {
            out.print("\r\033[K");
            out.println("run " + run.id() + " " + what + ": " + run.label());
            redraw();
        } else {
            out.println("sweep: " + counts() + " | run " + run.id() + " " + what + ": " + run.label());
        }
        out.flush();
    }

    private synchronized void redraw() {
        out.print("\r\033[Ksweep: " + counts());
        out.flush();
    }

    /** {@code 3/8 done, 2 running, 0 failed, 3 remaining, elapsed 0:42, ETA 1:10}. */
    public synchronized String counts() {
        int remaining = total - done - running - failed;
        double elapsed = (System.nanoTime() - start) / 1e9;
        int parallel = concurrency > 0 ? Math.min(concurrency, Math.max(1, total - done - failed))
                : Math.max(1, peakRunning);
        String eta = finishedThisSession == 0 ? "?"
                : clock(secondsThisSession / finishedThisSession * (running + remaining) / parallel);
        return String.format(Locale.ROOT, "%d/%d done, %d running, %d failed, %d remaining, elapsed %s, ETA %s",
                done, total, running, failed, remaining, clock(elapsed), eta);
    }

    private static double parseSeconds(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            redraw();
            out.println();
        }
    }
}
