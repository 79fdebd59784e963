package org.cllab.runs.serve;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the files of a run directory as the runner writes them: the tail of {@code run.log} and the progress it
 * tells, the reason a worker failed ({@code worker.err}), accuracy matrices from {@code accuracy_matrix_MODE.csv} or,
 * while a run is in progress, from {@code metrics.csv}. Nothing here writes.
 */
final class RunFiles {
    /** At most this many bytes are read from the end of a log. */
    static final int TAIL_BYTES = 256 * 1024;

    private static final Pattern TASK_START = Pattern.compile(" - task (\\d+)/(\\d+) \\(.*\\): (\\d+) steps$");
    private static final Pattern STEP = Pattern.compile(" - task (\\d+) step (\\d+)/(\\d+) \\(");
    private static final Pattern BOUNDARY = Pattern.compile(" - checkpoint after task (\\d+) saved$");
    private static final Pattern RESUME = Pattern.compile(" - resuming after task (\\d+) of (\\d+)");
    private static final Pattern SESSION =
            Pattern.compile(" RunExecutor - run .* \\(config [0-9a-f]+\\), (\\d+) tasks");
    private static final Pattern CONSOLE_LOG = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN) ");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private RunFiles() {
    }

    /** The last {@code maxLines} lines of a text file (from its last {@link #TAIL_BYTES} bytes); empty if absent. */
    static List<String> tail(Path file, int maxLines) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - TAIL_BYTES);
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            List<String> lines = new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\r?\n")));
            if (from > 0 && !lines.isEmpty()) {
                lines.remove(0); // a partial first line
            }
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * How far a run got, from its {@code run.log}.
     *
     * @param fraction   0..1 of all tasks of the run
     * @param task       the task being trained (1-based), 0 before the first
     * @param tasks      number of tasks, 0 when the log does not say yet
     * @param step       steps done in the current task
     * @param steps      steps of the current task
     * @param etaSeconds estimated seconds to the end at the rate of this session, or -1 when unknown
     */
    record Progress(double fraction, int task, int tasks, long step, long steps, double etaSeconds) {
    }

    /** The progress told by the lines of {@code run.log} (oldest first). */
    static Progress progress(List<String> log) {
        int tasks = 0;
        int task = 0;
        int done = 0;
        long step = 0;
        long steps = 0;
        double startFraction = 0;
        LocalDateTime startTime = null;
        LocalDateTime lastTime = null;
        for (String line : log) {
            Matcher m;
            if ((m = SESSION.matcher(line)).find()) {
                tasks = Integer.parseInt(m.group(1));
                task = 0;
                step = 0;
                steps = 0;
                startFraction = tasks == 0 ? 0 : (double) done / tasks;
                startTime = time(line);
            } else if ((m = RESUME.matcher(line)).find()) {
                done = Integer.parseInt(m.group(1));
                tasks = Integer.parseInt(m.group(2));
                startFraction = (double) done / tasks;
            } else if ((m = TASK_START.matcher(line)).find()) {
                task = Integer.parseInt(m.group(1));
                tasks = Integer.parseInt(m.group(2));
                steps = Long.parseLong(m.group(3));
                step = 0;
            } else if ((m = STEP.matcher(line)).find()) {
                task = Integer.parseInt(m.group(1));
                step = Long.parseLong(m.group(2));
                steps = Long.parseLong(m.group(3));
            } else if ((m = BOUNDARY.matcher(line)).find()) {
                done = Integer.parseInt(m.group(1));
            } else {
                continue;
            }
            LocalDateTime t = time(line);
            lastTime = t != null ? t : lastTime;
        }
        double fraction = fraction(tasks, task, done, step, steps);
        double eta = -1;
        if (startTime != null && lastTime != null && fraction > startFraction && fraction < 1) {
            double secs = Duration.between(startTime, lastTime).toMillis() / 1000.0;
            if (secs > 0) {
                eta = (1 - fraction) * secs / (fraction - startFraction);
            }
        }
        return new Progress(fraction, task, tasks, step, steps, eta);
    }

    private static double fraction(int tasks, int task, int done, long step, long steps) {
        if (tasks <= 0) {
            return 0;
        }
        double inTask = task > done && steps > 0 ? (task - 1 + (double) step / steps) : done;
        return Math.min(1, Math.max(done, inTask) / tasks);
    }

    private static LocalDateTime time(String line) {
        if (line.length() < 23) {
            return null;
        }
        try {
            return LocalDateTime.parse(line.substring(0, 23), LOG_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Why a run that ended without a summary failed: the last line of {@code worker.err} that is neither an INFO/WARN
     * log line nor part of a stack trace (the one-line error of {@code cl}), else the last ERROR line of
     * {@code run.log}, else the worker's exit code; null when nothing tells.
     */
    static String failureReason(Path dir, String exitCode) {
        List<String> err = tail(dir.resolve("worker.err"), 400);
        for (int i = err.size() - 1; i >= 0; i--) {
            String l = err.get(i);
            String t = l.strip();
            if (t.isEmpty() || Character.isWhitespace(l.charAt(0)) || t.startsWith("at ") || t.startsWith("...")
                    || t.startsWith("Caused by") || CONSOLE_LOG.matcher(l).find()) {
                continue;
            }
            return firstInternalError(err, i);
        }
        List<String> log = tail(dir.resolve("run.log"), 2000);
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).contains(" ERROR ")) {
                return log.get(i).replaceFirst("^\\S+ ERROR +\\[[^]]*] ", "");
            }
        }
        return exitCode == null || exitCode.isEmpty() ? null : "worker exited with code " + exitCode;
    }

    /** Line {@code i}, or the {@code cl: internal error} line above it when line i belongs to its stack trace. */
    private static String firstInternalError(List<String> err, int i) {
        for (int j = i; j >= 0 && j > i - 200; j--) {
            if (err.get(j).startsWith("cl: ")) {
                return err.get(j);
            }
        }
        return err.get(i).strip();
    }

    /**
     * An accuracy matrix file {@code accuracy_matrix_MODE.csv}: header {@code after_task,task_1..task_T}, rows
     * {@code k,R[k][1..T]} with row 0 before any training.
     *
     * @return the rows as numbers (column 0 is {@code after_task}), or null when the file is not such a matrix
     */
    static double[][] matrixCsv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || !lines.get(0).startsWith("after_task,")) {
                return null;
            }
            int cols = lines.get(0).split(",").length;
            List<double[]> rows = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                if (l.isBlank()) {
                    continue;
                }
                String[] f = l.split(",");
                if (f.length != cols) {
                    return null;
                }
                double[] r = new double[cols];
                for (int j = 0; j < cols; j++) {
                    r[j] = Double.parseDouble(f[j]);
                }
                rows.add(r);
            }
            return rows.toArray(double[][]::new);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * The rows of {@code metrics.csv} ({@code series,after_task,eval_task,accuracy}, rewritten after every task) as
     * partial accuracy matrices per series, in the form of {@link #matrixCsv}.
     */
    static Map<String, double[][]> metricsCsv(Path file) {
        Map<String, TreeMap<Integer, TreeMap<Integer, Double>>> bySeries = new TreeMap<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = l.split(",");
                if (f.length != 4) {
                    continue;
                }
                bySeries.computeIfAbsent(f[0], k -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(f[1]), k -> new TreeMap<>())
                        .put(Integer.parseInt(f[2]), Double.parseDouble(f[3]));
            }
        } catch (IOException | NumberFormatException e) {
            return Map.of();
        }
        Map<String, double[][]> out = new TreeMap<>();
        bySeries.forEach((series, rows) -> {
            int t = rows.values().stream().mapToInt(r -> r.lastKey()).max().orElse(0);
            double[][] m = new double[rows.size()][t + 1];
            int i = 0;
            for (Map.Entry<Integer, TreeMap<Integer, Double>> r : rows.entrySet()) {
                m[i][0] = r.getKey();
                for (int j = 1; j <= t; j++) {
                    m[i][j] = r.getValue().getOrDefault(j, Double.NaN);
                }
                i++;
            }
            out.put(series, m);
        });
        return out;
    }
}
