package org.cllab.runs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cllab.runs.report.MetricTable;
import org.cllab.runs.report.ReportTables;
import org.cllab.runs.report.RunCollector;
import org.cllab.runs.report.RunRecord;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.Summary;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a results directory as the runner leaves it and describes it as JSON for the page: every run directory (a
 * directory holding {@code config.yaml}) with its state, progress and final metrics; every sweep (a directory holding
 * {@code sweep-index.json}) with its comparison table, computed by the report code ({@link RunCollector},
 * {@link MetricTable}) over its finished runs; per run, on request, its matrices, metrics, config, provenance and log
 * tail. A run's state:
 * <ul>
 *   <li>finished: {@code summary.json} says so;</li>
 *   <li>running: its sweep index says running and (local executor) the worker process is alive, or, outside a sweep,
 *       the process of the last session in {@code provenance.json} is alive on this host;</li>
 *   <li>queued / pending: as the sweep index says, with nothing in the run's log yet;</li>
 *   <li>failed: its sweep index says failed, or its files tell an error; the reason is {@link RunFiles#failureReason};
 *       </li>
 *   <li>interrupted: started, not finished, no process, no error: a rerun resumes it.</li>
 * </ul>
 * Thread-safe; parsed configs and summaries are reused while their files are unchanged, and the comparison tables
 * are cached per set of finished summaries.
 */
public final class ResultsScanner {
    /** Run directories are looked for at most this deep under the root. */
    static final int MAX_DEPTH = 8;
    /** Lines of {@code run.log} sent with a run. */
    static final int LOG_LINES = 200;

    private final SafePaths paths;
    private final String host = hostName();
    /** Parsed {@code config.yaml} and {@code summary.json} files by path, with the stamp they were parsed at. */
    private final Map<Path, Parsed> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, ObjectNode> comparisonCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> e) {
            return size() > 32;
        }
    };

    public ResultsScanner(SafePaths paths) {
        this.paths = paths;
    }

    /** The states shown on the page. */
    enum State {
        PENDING, QUEUED, RUNNING, FINISHED, FAILED, INTERRUPTED;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One sweep's {@code sweep-index.json} entry of a run. */
    private record IndexEntry(Path sweep, String executor, JsonNode entry) {
    }

    /** Runs and sweeps under the root, with state and progress: the data of the page's overview. */
    public ObjectNode overview() throws IOException {
        List<Path> runDirs = new ArrayList<>();
        List<Path> sweepDirs = new ArrayList<>();
        walk(runDirs, sweepDirs);
        Map<Path, IndexEntry> indexed = new LinkedHashMap<>();
        List<ObjectNode> sweeps = new ArrayList<>();
        for (Path s : sweepDirs) {
            ObjectNode sweep = Json.MAPPER.createObjectNode();
            sweep.put("dir", paths.relative(s));
            try {
                JsonNode index = Json.MAPPER.readTree(s.resolve("sweep-index.json").toFile());
                sweep.put("hash", index.path("sweep_hash").asText(""));
                sweep.put("executor", index.path("executor").asText(""));
                sweep.put("total", index.path("runs_total").asInt());
                for (Iterator<JsonNode> it = index.path("runs").elements(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    Path dir = s.resolve(e.path("dir").asText()).normalize();
                    if (dir.startsWith(s)) {
                        indexed.put(dir, new IndexEntry(s, index.path("executor").asText(""), e));
                        if (!runDirs.contains(dir)) {
                            runDirs.add(dir); // not created yet: pending
                        }
                    }
                }
            } catch (IOException e) {
                sweep.put("error", "sweep-index.json: " + e.getMessage());
            }
            sweeps.add(sweep);
        }
        runDirs.sort(null);

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("root", paths.root().getFileName() == null ? "/" : paths.root().getFileName().toString());
        out.put("generated", java.time.Instant.now().toString());
        ArrayNode runs = out.putArray("runs");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (State st : State.values()) {
            counts.put(st.key(), 0);
        }
        Map<Path, List<Path>> finishedBySweep = new LinkedHashMap<>();
        List<Path> finishedAlone = new ArrayList<>();
        for (Path dir : runDirs) {
            IndexEntry ie = indexed.get(dir);
            ObjectNode r = runRow(dir, ie);
            runs.add(r);
            counts.merge(r.path("state").asText(), 1, Integer::sum);
            if (r.path("state").asText().equals(State.FINISHED.key())) {
                (ie == null ? finishedAlone : finishedBySweep.computeIfAbsent(ie.sweep(), k -> new ArrayList<>()))
                        .add(dir);
            }
        }
        ObjectNode c = out.putObject("counts");
        counts.forEach(c::put);
        ArrayNode sw = out.putArray("sweeps");
        for (int i = 0; i < sweeps.size(); i++) {
            Path s = sweepDirs.get(i);
            ObjectNode sweep = sweeps.get(i);
            ObjectNode sc = sweep.putObject("counts");
            counts.keySet().forEach(k -> sc.put(k, 0));
            for (JsonNode r : runs) {
                if (r.path("sweep").asText().equals(paths.relative(s)) && r.has("sweep")) {
                    sc.put(r.path("state").asText(), sc.path(r.path("state").asText()).asInt() + 1);
                }
            }
            sweep.set("comparison", comparison(finishedBySweep.getOrDefault(s, List.of())));
            sweep.set("report", reportFiles(s.resolve("report")));
            sw.add(sweep);
        }
        if (!finishedAlone.isEmpty()) {
            ObjectNode alone = Json.MAPPER.createObjectNode();
            alone.put("dir", "");
            alone.put("title", sweeps.isEmpty() ? "all runs" : "runs outside sweeps");
            alone.set("comparison", comparison(finishedAlone));
            out.set("standalone", alone);
        }
        return out;
    }

    /** The directories of runs and sweeps under the root; symbolic links are not followed, hidden names skipped. */
    private void walk(List<Path> runDirs, List<Path> sweepDirs) throws IOException {
        Files.walkFileTree(paths.root(), EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(paths.root()) && dir.getFileName().toString().startsWith(".")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (Files.isRegularFile(dir.resolve("sweep-index.json"))) {
                            sweepDirs.add(dir);
                        }
                        if (Files.isRegularFile(dir.resolve("config.yaml"))) {
                            runDirs.add(dir);
                            return FileVisitResult.SKIP_SUBTREE; // runs do not nest; skips checkpoints/
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /** The overview row of one run. */
    private ObjectNode runRow(Path dir, IndexEntry ie) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("dir", paths.relative(dir));
        r.put("name", dir.getFileName() == null ? "/" : dir.getFileName().toString());
        Map<String, Object> cfg = config(dir);
        String learner = ie != null ? ie.entry().path("learner").asText(null) : null;
        r.put("learner", learner != null ? learner : string(cfg, "learner", "type"));
        r.put("scenario", scenarioLabel(dir, cfg));
        if (ie != null) {
            r.put("sweep", paths.relative(ie.sweep()));
            r.put("seed", ie.entry().path("seed").asLong());
            List<String> ov = new ArrayList<>();
            ie.entry().path("overrides").fields().forEachRemaining(e -> {
                if (!e.getKey().equals("learner.type") && !e.getKey().equals("run.seed")) {
                    ov.add(e.getKey() + "=" + e.getValue().asText());
                }
            });
            r.put("overrides", String.join(" ", ov));
        } else {
            String seed = string(cfg, "run", "seed");
            if (seed != null) {
                r.put("seed", Long.parseLong(seed));
            }
            r.put("overrides", "");
        }
        JsonNode summary = readFinished(dir);
        List<String> log = summary != null ? List.of() : RunFiles.tail(dir.resolve("run.log"), 4000);
        State state = state(dir, ie, summary, log, r);
        r.put("state", state.key());
        if (summary != null) {
            r.put("progress", 1.0);
            number(r, "wall_seconds", summary.path("wall_seconds").asDouble(Double.NaN));
            ObjectNode acc = r.putObject("acc");
            summary.path("evaluations").fields().forEachRemaining(e -> number(acc, e.getKey(),
                    e.getValue().path("acc").asDouble(Double.NaN)));
        } else {
            RunFiles.Progress p = RunFiles.progress(log);
            r.put("progress", p.fraction());
            r.put("task", p.task());
            r.put("tasks", p.tasks());
            r.put("step", p.step());
            r.put("steps", p.steps());
            if (state == State.RUNNING && p.etaSeconds() >= 0) {
                r.put("eta_seconds", Math.round(p.etaSeconds()));
            }
        }
        try {
            Path logFile = dir.resolve("run.log");
            if (Files.exists(logFile)) {
                r.put("updated", Files.getLastModifiedTime(logFile).toMillis());
            }
        } catch (IOException ignored) {
            // vanished meanwhile
        }
        return r;
    }

    private State state(Path dir, IndexEntry ie, JsonNode summary, List<String> log, ObjectNode r) {
        if (summary != null) {
            return State.FINISHED;
        }
        boolean started = !log.isEmpty();
        String exit = null;
        if (ie != null) {
            JsonNode info = ie.entry().path("info");
            exit = info.path("exit_code").asText(null);
            switch (ie.entry().path("status").asText()) {
                case "running" -> {
                    String pid = info.path("pid").asText("");
                    if (!ie.executor().equals("local") || pid.isEmpty() || alive(pid)) {
                        return State.RUNNING;
                    }
                }
                case "queued" -> {
                    return State.QUEUED;
                }
                case "failed" -> {
                    String why = RunFiles.failureReason(dir, exit);
                    r.put("reason", why != null ? why : "failed (no reason recorded)");
                    return State.FAILED;
                }
                default -> {
                    // pending, or finished/running in an index whose sweep has gone: judged from the files
                }
            }
        } else if (runningHere(dir)) {
            return State.RUNNING;
        }
        String why = RunFiles.failureReason(dir, exit);
        if (why != null && (started || Files.exists(dir.resolve("worker.err")))) {
            r.put("reason", why);
            return State.FAILED;
        }
        if (started) {
            r.put("reason", "stopped before the end without an error (killed?); run the same command again to resume");
            return State.INTERRUPTED;
        }
        return State.PENDING;
    }

    /** The last session of {@code provenance.json} ran on this host and its process is alive. */
    private boolean runningHere(Path dir) {
        Path prov = dir.resolve("provenance.json");
        if (!Files.isRegularFile(prov)) {
            return false;
        }
        try {
            JsonNode sessions = Json.MAPPER.readTree(prov.toFile()).path("sessions");
            JsonNode last = sessions.isArray() && sessions.size() > 0 ? sessions.get(sessions.size() - 1) : null;
            return last != null && host.equals(last.path("host").asText()) && alive(last.path("pid").asText(""));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Everything the page shows about one run: the overview row plus matrices per mode, ACC after each task, final
     * metrics, config, provenance, the tail of {@code run.log} and of {@code worker.err}.
     *
     * @param dir a directory under the root (a {@link SafePaths} result)
     * @return empty when {@code dir} is not a run directory
     */
    public Optional<ObjectNode> run(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("config.yaml"))) {
            return Optional.empty();
        }
        IndexEntry ie = null;
        for (Path p = dir.getParent(); p != null && p.startsWith(paths.root()); p = p.getParent()) {
            Path index = p.resolve("sweep-index.json");
            if (Files.isRegularFile(index)) {
                JsonNode n = Json.MAPPER.readTree(index.toFile());
                for (Iterator<JsonNode> it = n.path("runs").elements(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    if (p.resolve(e.path("dir").asText()).normalize().equals(dir)) {
                        ie = new IndexEntry(p, n.path("executor").asText(""), e);
                    }
                }
                break;
            }
        }
        ObjectNode r = runRow(dir, ie);
        ArrayNode matrices = r.putArray("matrices");
        List<Path> csvs;
        try (Stream<Path> s = Files.list(dir)) {
            csvs = s.filter(p -> p.getFileName().toString().matches("accuracy_matrix_.+\\.csv")).sorted().toList();
        }
        Map<String, double[][]> byMode = new TreeMap<>();
        Map<String, String> source = new TreeMap<>();
        for (Path csv : csvs) {
            String name = csv.getFileName().toString();
            double[][] m = RunFiles.matrixCsv(csv);
            if (m != null) {
                String mode = name.substring("accuracy_matrix_".length(), name.length() - ".csv".length());
                byMode.put(mode, m);
                source.put(mode, name);
            }
        }
        if (byMode.isEmpty() && Files.isRegularFile(dir.resolve("metrics.csv"))) {
            byMode.putAll(RunFiles.metricsCsv(dir.resolve("metrics.csv")));
            byMode.keySet().forEach(k -> source.put(k, "metrics.csv"));
        }
        JsonNode summary = readFinished(dir);
        byMode.forEach((mode, m) -> {
            ObjectNode e = matrices.addObject();
            e.put("mode", mode);
            e.put("source", source.get(mode));
            ArrayNode rows = e.putArray("rows");
            ArrayNode accAfter = e.putArray("acc_after");
            for (double[] row : m) {
                ArrayNode a = rows.addArray();
                a.add((int) row[0]);
                double sum = 0;
                int k = (int) row[0];
                for (int j = 1; j < row.length; j++) {
                    numberTo(a, row[j]);
                    if (j <= k) {
                        sum += row[j];
                    }
                }
                if (k >= 1) {
                    numberTo(accAfter, sum / k); // ACC after task k: mean over the tasks seen so far
                }
            }
            JsonNode ev = summary == null ? null : summary.path("evaluations").path(mode);
            if (ev != null && ev.isObject()) {
                ObjectNode metrics = e.putObject("metrics");
                for (String key : List.of("acc", "bwt", "fwt", "forgetting", "learning_accuracy", "intransigence")) {
                    if (ev.has(key)) {
                        metrics.set(key, ev.get(key));
                    }
                }
            }
        });
        r.put("config", readText(dir.resolve("config.yaml")));
        r.put("provenance", readText(dir.resolve("provenance.json")));
        r.put("log", String.join("\n", RunFiles.tail(dir.resolve("run.log"), LOG_LINES)));
        r.put("worker_err", String.join("\n", RunFiles.tail(dir.resolve("worker.err"), 40)));
        ArrayNode files = r.putArray("files");
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().forEach(files::add);
        }
        return Optional.of(r);
    }

    /**
     * The comparison table of the finished runs of one sweep (or of the runs outside sweeps), as the report computes
     * it: mean ± sample std over seeds of ACC, BWT and forgetting per scenario x mode x learner, ACC after each task
     * (mean, std) and the mean accuracy matrix.
     */
    private ObjectNode comparison(List<Path> finished) {
        StringBuilder key = new StringBuilder();
        for (Path d : finished) {
            try {
                key.append('\n').append(d).append(' ').append(Files.getLastModifiedTime(d.resolve(Summary.FILE)));
            } catch (IOException e) {
                key.append('\n').append(d).append(" ?");
            }
        }
        synchronized (comparisonCache) {
            ObjectNode cached = comparisonCache.get(key.toString());
            if (cached != null) {
                return cached;
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode groups = out.putArray("groups");
        if (!finished.isEmpty()) {
            try {
                List<RunRecord> records = RunCollector.collect(finished);
                ReportTables.byScenarioMode(MetricTable.aggregate(records)).forEach((title, rows) -> {
                    ObjectNode g = groups.addObject();
                    g.put("title", title);
                    g.put("scenario", rows.get(0).scenario());
                    g.put("mode", rows.get(0).mode());
                    ArrayNode rs = g.putArray("rows");
                    for (MetricTable.Row row : rows) {
                        ObjectNode o = rs.addObject();
                        o.put("learner", row.learner());
                        o.put("runs", row.runs());
                        ArrayNode seeds = o.putArray("seeds");
                        row.seeds().forEach(seeds::add);
                        row.meanStd().forEach((metric, ms) -> {
                            ArrayNode a = o.putArray(metric);
                            numberTo(a, ms[0]);
                            numberTo(a, ms[1]);
                        });
                        number(o, "wall_seconds", row.meanWallSeconds());
                        ArrayNode mean = o.putArray("acc_after_mean");
                        ArrayNode std = o.putArray("acc_after_std");
                        for (int k = 0; k < row.tasks(); k++) {
                            numberTo(mean, row.accAfterMean()[k]);
                            numberTo(std, row.accAfterStd()[k]);
                        }
                        ArrayNode matrix = o.putArray("matrix_mean");
                        for (double[] mr : row.matrixMean()) {
                            ArrayNode a = matrix.addArray();
                            for (double v : mr) {
                                numberTo(a, v);
                            }
                        }
                    }
                });
            } catch (IOException | RuntimeException e) { // ConfigException: a malformed summary or config
                out.put("error", e.getMessage());
                return out; // not cached: the next poll tries again
            }
        }
        synchronized (comparisonCache) {
            comparisonCache.put(key.toString(), out);
        }
        return out;
    }

    /** The report's overview files, relative to the root, when {@code report/} exists. */
    private ArrayNode reportFiles(Path report) throws IOException {
        ArrayNode a = Json.MAPPER.createArrayNode();
        if (!Files.isDirectory(report)) {
            return a;
        }
        try (Stream<Path> s = Files.walk(report, 2)) {
            s.filter(Files::isRegularFile).sorted().forEach(p -> a.add(paths.relative(p)));
        }
        return a;
    }

    /** {@code summary.json} if present and finished, parsed again only when the file changed. */
    private JsonNode readFinished(Path dir) {
        return cached(dir.resolve(Summary.FILE), f -> {
            try {
                return Summary.readFinished(dir);
            } catch (IOException e) {
                return null; // written atomically, so only a foreign file can be unreadable: treated as not finished
            }
        });
    }

    /** Modification time and size of a file: when both are unchanged, its parsed form is reused. */
    private record Stamp(long modified, long size) {
    }

    private record Parsed(Stamp stamp, Object value) {
    }

    /**
     * {@code parse(file)}, reused while the file's modification time and size stay the same (the runner replaces
     * files by renaming, so a changed file has a new stamp); null for a missing file.
     */
    @SuppressWarnings("unchecked")
    private <T> T cached(Path file, java.util.function.Function<Path, T> parse) {
        Stamp stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(a.lastModifiedTime().toMillis(), a.size());
        } catch (IOException e) {
            parsed.remove(file);
            return null;
        }
        Parsed p = parsed.get(file);
        if (p != null && p.stamp().equals(stamp)) {
            return (T) p.value();
        }
        T value = parse.apply(file);
        parsed.put(file, new Parsed(stamp, value));
        return value;
    }

    private static String readText(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The run's {@code config.yaml} as nested maps (empty when unreadable), parsed again only when it changed. */
    private Map<String, Object> config(Path dir) {
        Map<String, Object> c = cached(dir.resolve("config.yaml"), ResultsScanner::parseConfig);
        return c == null ? Map.of() : c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseConfig(Path file) {
        try {
            Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            return o instanceof Map ? (Map<String, Object>) o : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static String string(Map<String, Object> cfg, String section, String key) {
        Object s = cfg.get(section);
        Object v = s instanceof Map<?, ?> m ? m.get(key) : null;
        return v == null ? null : v.toString();
    }

    /** The report's label of the run's scenario (from its scenario type), or the bare type if the config is bad. */
    private static String scenarioLabel(Path dir, Map<String, Object> cfg) {
        String type = string(cfg, "scenario", "type");
        if (type == null) {
            return "";
        }
        try {
            return new org.cllab.runs.config.ConfigLoader().loadStored(dir.resolve("config.yaml")).typed()
                    .scenarioLabel();
        } catch (RuntimeException e) {
            return type;
        }
    }

    /** JSON has no NaN: null instead. */
    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static void numberTo(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
