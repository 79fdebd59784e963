package org.cllab.runs.run;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;

/**
 * Progress of a run: a progress bar per task on a terminal (me.tongfei progressbar); a line with the mean loss
 * every 10 % of a task in {@code run.log}; the accuracy row after every task on the console and in the log. It also triggers a garbage collection
 * at every task boundary, because ND4J frees off-heap buffers only when their Java objects are collected.
 */
public final class ProgressReporter implements TrainingListener, ProtocolListener, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ProgressReporter.class);
    /** Step-level lines: to run.log only (see log4j2.xml), so the console stays readable. */
    private static final Logger STEPS = LogManager.getLogger("org.cllab.progress");
    private final boolean bar;
    private final int numTasks;
    private ProgressBar current;
    private long total;
    private long nextLog;
    private double lossSum;
    private long lossCount;

    public ProgressReporter(boolean bar, int numTasks) {
        this.bar = bar;
        this.numTasks = numTasks;
    }

    @Override
    public void onResume(int tasksDone) {
        LOG.info("resuming after task {} of {} (checkpoint found)", tasksDone, numTasks);
    }

    @Override
    public void onTaskStart(TaskInfo task, long totalSteps) {
        total = totalSteps;
        nextLog = Math.max(1, totalSteps / 10);
        lossSum = 0;
        lossCount = 0;
        LOG.info("task {}/{} ({}): {} steps", task.index() + 1, numTasks, task.name(), totalSteps);
        if (bar) {
            current = new ProgressBarBuilder().setTaskName("task " + (task.index() + 1) + "/" + numTasks)
                    .setInitialMax(totalSteps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .continuousUpdate().build();
        }
    }

    @Override
    public void onStep(TaskInfo task, long step, double loss) {
        lossSum += loss;
        lossCount++;
        if (current != null) {
            current.stepTo(step);
            current.setExtraMessage(String.format("loss %.4f", loss));
        }
        if (step >= nextLog || step == total) {
            STEPS.info("task {} step {}/{} ({}%) mean loss {}", task.index() + 1, step, total,
                    total == 0 ? 100 : 100 * step / total, String.format("%.4f", lossSum / Math.max(1, lossCount)));
            lossSum = 0;
            lossCount = 0;
            nextLog = step + Math.max(1, total / 10);
        }
    }

    @Override
    public void onTaskEnd(TaskInfo task) {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void onBoundary(ProtocolState state) {
        state.rows().forEach((series, rows) -> {
            double[] r = rows.get(rows.size() - 1);
            StringBuilder b = new StringBuilder();
            for (double v : r) {
                b.append(String.format(" %.4f", v));
            }
            LOG.info("after task {}: {} accuracies{}", state.tasksDone(), series, b);
        });
        LOG.info("checkpoint after task {} saved", state.tasksDone());
        System.gc();
        Runtime rt = Runtime.getRuntime();
        LOG.info("memory after task {}: resident {} MB, java heap committed {} MB, used {} MB", state.tasksDone(),
                residentMegabytes(), rt.totalMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    /** VmRSS of this process in MB (Linux), or -1 where /proc is not available. */
    static long residentMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) >> 10;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() {
        onTaskEnd(null);
    }
}
