package org.cllab.runs.slurm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for what the SLURM tools print (22.05 formats), and the array index syntax. Pure functions; the client
 * runs the tools, this class only reads their text.
 */
public final class SlurmOutput {
    /** The {@code squeue -o} format {@link #parseSqueue} reads. */
    public static final String SQUEUE_FORMAT = "%A|%F|%K|%T|%r|%j";
    /** The {@code sacct --format} fields {@link #parseSacct} reads (with {@code -n -P}). */
    public static final String SACCT_FORMAT = "JobIDRaw,JobID,State,ExitCode,Reason,JobName";

    private static final Pattern KEY = Pattern.compile("(?:^|\\s)([A-Za-z][A-Za-z0-9_:/]*)=");
    private static final Pattern EXIT = Pattern.compile("(-?\\d+):(\\d+)");

    private SlurmOutput() {
    }

    /** The job id printed by {@code sbatch --parsable}: {@code 123} or {@code 123;cluster}. */
    public static long parseSbatch(String out) {
        String first = out.strip().lines().findFirst().orElse("");
        String id = first.contains(";") ? first.substring(0, first.indexOf(';')) : first;
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new SlurmException("sbatch --parsable printed '" + first + "', not a job id");
        }
    }

    /** Lines of {@code squeue -h -r -o } {@link #SQUEUE_FORMAT}. */
    public static List<SlurmTask> parseSqueue(String out) {
        List<SlurmTask> tasks = new ArrayList<>();
        for (String line : nonEmptyLines(out)) {
            String[] f = line.split("\\|", -1);
            if (f.length < 5) {
                throw new SlurmException("squeue printed '" + line + "', expected " + SQUEUE_FORMAT);
            }
            long job = parseLong(f[0], "squeue job id", line);
            long array = f[1].isBlank() || f[1].equals("N/A") ? job : parseLong(f[1], "squeue array job id", line);
            JobState state = JobState.parse(f[3]);
            String reason = f[4].strip();
            String name = f.length > 5 ? String.join("|", java.util.Arrays.copyOfRange(f, 5, f.length)) : "";
            for (int t : taskIds(f[2])) {
                tasks.add(new SlurmTask(job, array, t, state, SlurmTask.NO_EXIT_CODE, 0, reason, name, "squeue"));
            }
        }
        return tasks;
    }

    /**
     * Lines of {@code scontrol show job ID -o} (one record per line; a pending part of an array is one record whose
     * {@code ArrayTaskId} is a range: expanded into one task per index).
     */
    public static List<SlurmTask> parseScontrol(String out) {
        List<SlurmTask> tasks = new ArrayList<>();
        for (String line : nonEmptyLines(out)) {
            Map<String, String> kv = keyValues(line);
            if (!kv.containsKey("JobId") || !kv.containsKey("JobState")) {
                throw new SlurmException("scontrol printed '" + abbreviate(line) + "', expected JobId= and JobState=");
            }
            tasks.addAll(recordTasks(kv, "scontrol"));
        }
        return tasks;
    }

    /**
     * Lines of {@code sacct -n -P -X --format=}{@link #SACCT_FORMAT}: {@code 7|5_0|COMPLETED|0:0|None}; a pending
     * part of an array prints as {@code 5|5_[1-2%1]|PENDING|0:0|...}.
     */
    public static List<SlurmTask> parseSacct(String out) {
        List<SlurmTask> tasks = new ArrayList<>();
        for (String line : nonEmptyLines(out)) {
            String[] f = line.split("\\|", -1);
            if (f.length < 4) {
                throw new SlurmException("sacct printed '" + line + "', expected " + SACCT_FORMAT);
            }
            long raw = parseLong(f[0], "sacct JobIDRaw", line);
            String id = f[1].strip();
            int cut = id.indexOf('_');
            long array = cut < 0 ? raw : parseLong(id.substring(0, cut), "sacct JobID", line);
            String ids = cut < 0 ? "N/A" : id.substring(cut + 1).replace("[", "").replace("]", "");
            int[] exit = parseExit(f[3]);
            String reason = f.length > 4 ? f[4].strip() : "";
            String name = f.length > 5 ? String.join("|", java.util.Arrays.copyOfRange(f, 5, f.length)) : "";
            for (int t : taskIds(ids)) {
                tasks.add(new SlurmTask(raw, array, t, JobState.parse(f[2]), exit[0], exit[1], reason, name,
                        "sacct"));
            }
        }
        return tasks;
    }

    /**
     * The records of {@code jobcomp/filetxt} (one {@code Key=Value ...} line per finished job) that belong to job
     * (or array) {@code jobId}; a later line for the same task replaces an earlier one.
     */
    public static List<SlurmTask> parseJobComp(String content, long jobId) {
        Map<Integer, SlurmTask> byTask = new LinkedHashMap<>();
        String idText = Long.toString(jobId);
        for (String line : nonEmptyLines(content)) {
            if (!line.contains("=" + idText)) {
                continue; // cheap filter: the id must appear as some value
            }
            Map<String, String> kv = keyValues(line);
            boolean mine = idText.equals(kv.get("ArrayJobId"))
                    || (idText.equals(kv.get("JobId")) && !kv.containsKey("ArrayJobId"));
            if (!mine || !kv.containsKey("JobState")) {
                continue;
            }
            for (SlurmTask t : recordTasks(kv, "jobcomp")) {
                byTask.put(t.arrayTaskId(), t);
            }
        }
        return new ArrayList<>(byTask.values());
    }

    /** {@code scontrol show config} ({@code Key = Value} lines) as a map. */
    public static Map<String, String> parseConfig(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : nonEmptyLines(out)) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        return m;
    }

    /**
     * The {@code Key=Value} pairs of one {@code scontrol -o} or jobcomp line. Values run up to the next
     * {@code " Key="}; keys may contain {@code : /} ({@code ReqB:S:C:T}, {@code CPUs/Task}).
     */
    public static Map<String, String> keyValues(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher k = KEY.matcher(line);
        String key = null;
        int valueStart = 0;
        while (k.find()) {
            if (key != null) {
                m.put(key, line.substring(valueStart, k.start()).strip());
            }
            key = k.group(1);
            valueStart = k.end();
        }
        if (key != null) {
            m.put(key, line.substring(valueStart).strip());
        }
        return m;
    }

    /** {@code 3:0} → {3, 0} (exit code, signal); anything else → {@link SlurmTask#NO_EXIT_CODE}, 0. */
    public static int[] parseExit(String text) {
        Matcher m = EXIT.matcher(text == null ? "" : text.strip());
        if (m.matches()) {
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        }
        return new int[] {SlurmTask.NO_EXIT_CODE, 0};
    }

    /**
     * Expands an array index expression: {@code 3}, {@code 0-7}, {@code 0-7%2}, {@code 1,4-5}, {@code 0-10:2}.
     * Sorted, without duplicates.
     */
    public static List<Integer> expandIndices(String spec) {
        String s = spec.strip();
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new SlurmException("bad array index expression '" + spec + "'");
            }
            int step = 1;
            int colon = p.indexOf(':');
            if (colon >= 0) {
                step = parseInt(p.substring(colon + 1), spec);
                p = p.substring(0, colon);
            }
            int dash = p.indexOf('-');
            int lo = parseInt(dash < 0 ? p : p.substring(0, dash), spec);
            int hi = dash < 0 ? lo : parseInt(p.substring(dash + 1), spec);
            if (step < 1 || hi < lo) {
                throw new SlurmException("bad array index expression '" + spec + "'");
            }
            for (int i = lo; i <= hi; i += step) {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    /** The shortest {@code --array} index list for {@code indices}: {@code 0-3,5,7-8}. */
    public static String compressIndices(Collection<Integer> indices) {
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("no array indices");
        }
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(indices));
        if (sorted.get(0) < 0) {
            throw new IllegalArgumentException("negative array index: " + sorted.get(0));
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(sorted.get(i));
            if (j > i) {
                b.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }

    private static List<SlurmTask> recordTasks(Map<String, String> kv, String source) {
        long job = parseLong(kv.get("JobId"), source + " JobId", kv.toString());
        String arrayText = kv.get("ArrayJobId");
        long array = arrayText == null || arrayText.isBlank() ? job : parseLong(arrayText, source + " ArrayJobId",
                kv.toString());
        JobState state = JobState.parse(kv.get("JobState"));
        int[] exit = parseExit(kv.get("ExitCode"));
        String reason = kv.getOrDefault("Reason", "");
        String name = kv.getOrDefault("JobName", kv.getOrDefault("Name", ""));
        List<SlurmTask> out = new ArrayList<>();
        for (int t : taskIds(kv.getOrDefault("ArrayTaskId", "N/A"))) {
            out.add(new SlurmTask(job, array, t, state, exit[0], exit[1], reason, name, source));
        }
        return out;
    }

    private static List<Integer> taskIds(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equals("N/A") || t.equals("(null)")) {
            return List.of(SlurmTask.NOT_ARRAY);
        }
        return expandIndices(t);
    }

    private static List<String> nonEmptyLines(String out) {
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static long parseLong(String s, String what, String line) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new SlurmException(what + " '" + s + "' is not a number in '" + abbreviate(line) + "'");
        }
    }

    private static int parseInt(String s, String spec) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new SlurmException("bad array index expression '" + spec + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
