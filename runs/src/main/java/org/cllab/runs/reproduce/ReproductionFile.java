package org.cllab.runs.reproduce;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.report.MetricTable;
import org.cllab.runs.sweep.SweepPlan;
import org.cllab.runs.sweep.SweepRunner;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a reproduction file (YAML) into a {@link Reproduction}. Every key and value is checked; problems are thrown
 * as one line {@code FILE: key: reason} ({@link ConfigException}, exit code 2). The runs of every group are planned
 * (each run config validated) while loading, so a bad {@code set} key is reported against the reproduction file.
 *
 * <pre>
 * title: Baselines, Split Fashion-MNIST 5x2     # one line
 * page: docs/results/baselines.md               # results page whose table block --write-docs regenerates
 * block: ""                                     # named block of that page ("" = its unnamed block)
 * expected_wall_minutes: 20                     # on 2 cores
 * requires: [{file: results/enc.bin, command: [pretrain-encoder, --out, results/enc.bin]}]
 * source: "our earlier measurement (...)"       # default source of the figures' references
 * tolerance: 0.01                               # default tolerance
 * runs:
 *   - {name: ewc, config: ../configs/split-fmnist-ewc.yaml, set: {scenario.mode: ...}, seeds: [0, 1, 2]}
 *   - {name: demo, sweep: ../configs/sweep-demo.yaml}
 * figures:
 *   - {learner: ewc, mode: class-incremental, metric: acc, reference: 0.2006, table: "heading"}
 * </pre>
 */
public final class ReproductionFile {
    /**
     * A documented key.
     *
     * @param name        key ({@code runs[].x} and {@code figures[].x} for the keys of list entries)
     * @param type        value type
     * @param defaultText default ("(required)" when there is none)
     * @param description meaning
     */
    public record Key(String name, String type, String defaultText, String description) {
    }

    /** Every key with its meaning: the source of the reproduction section of {@code docs/config.md}. */
    public static final List<Key> DOC = List.of(
            new Key("title", "string", "(required)", "What the reproduction reproduces, one line."),
            new Key("page", "file name", "(none)", "Results page, relative to the project root, whose generated "
                    + "table block `cl reproduce NAME --write-docs` replaces."),
            new Key("block", "string", "\"\"", "Name of that block (`<!-- table:begin NAME (...) -->`); \"\" = the "
                    + "page's unnamed block."),
            new Key("expected_wall_minutes", "number", "(required)", "Expected wall time of all runs on 2 cores, "
                    + "minutes (`cl reproduce --list`)."),
            new Key("requires", "list", "[]", "Files the runs need: `{file: PATH, command: [cl arguments]}`; a "
                    + "missing file is made by running `cl` with the command first."),
            new Key("source", "string", "(none)", "Default source of the figures' reference values (paper table, "
                    + "authors' code, our earlier measurement)."),
            new Key("tolerance", "number", "(none)", "Default tolerance: largest accepted |ours - reference|."),
            new Key("runs", "list", "(required)", "Run groups."),
            new Key("runs[].name", "string", "(required)", "Unique name; figures refer to it with `learner`."),
            new Key("runs[].config", "file name", "(one of config, sweep)", "Run config, relative to the "
                    + "reproduction file; the group runs it once per seed."),
            new Key("runs[].sweep", "file name", "(one of config, sweep)", "Sweep file, relative to the "
                    + "reproduction file; the group is its runs."),
            new Key("runs[].set", "mapping", "{}", "Config keys set for every run of a config group (dotted keys "
                    + "or nested maps), as `--set`."),
            new Key("runs[].seeds", "list of integers", "[0]", "`run.seed` values of a config group."),
            new Key("figures", "list", "(required)", "The figures of the table, in order."),
            new Key("figures[].learner", "string", "(required)", "Name of the run group."),
            new Key("figures[].mode", "string", "(required)", "Evaluation mode, e.g. `class-incremental`."),
            new Key("figures[].metric", "string", "(required)", "`acc`, `bwt` or `forgetting` (mean over seeds "
                    + "of the final value)."),
            new Key("figures[].reference", "number", "(required)", "The reference value."),
            new Key("figures[].source", "string", "(top-level source)", "Where the reference comes from."),
            new Key("figures[].tolerance", "number", "(top-level tolerance)", "Largest accepted |ours - "
                    + "reference|; `--check` fails on every figure outside it."),
            new Key("figures[].table", "string", "\"\"", "Heading of the table the figure is shown under."));

    private static final List<String> TOP = keys("");
    private static final List<String> RUN_KEYS = keys("runs[].");
    private static final List<String> FIGURE_KEYS = keys("figures[].");
    private static final List<String> REQUIRE_KEYS = List.of("file", "command");

    private static List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        for (Key k : DOC) {
            String rest = k.name().startsWith(prefix) ? k.name().substring(prefix.length()) : null;
            if (rest != null && !rest.contains("[]")) {
                out.add(rest);
            }
        }
        return List.copyOf(out);
    }

    /** The reproduction section of {@code docs/config.md}. */
    public static String markdown() {
        StringBuilder b = new StringBuilder("## Reproduction files\n\n");
        b.append("A reproduction file (`runs/reproductions/NAME.yaml`, run with `./cl reproduce NAME`) names the runs "
                + "behind a results table, the figures the table shows, and each figure's reference value with its "
                + "source and tolerance. Problems are reported as `FILE: key: reason` with exit code 2; the runs of "
                + "every group are validated like single runs before anything starts. See the user guide.\n\n");
        b.append("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Key k : DOC) {
            b.append("| `").append(k.name()).append("` | ").append(k.type()).append(" | `").append(k.defaultText())
                    .append("` | ").append(k.description().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    private final Path file;
    private final String src;

    private ReproductionFile(Path file) {
        this.file = file;
        this.src = file.toString();
    }

    /** Parses and checks {@code file}, planning every run group. */
    public static Reproduction parse(Path file) {
        return new ReproductionFile(file).read();
    }

    private Reproduction read() {
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (NoSuchFileException e) {
            throw err("(file)", "reproduction file not found");
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw err("(file)", "not valid YAML: " + msg.replaceAll("\\s+", " ").trim());
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw err("(file)", doc == null ? "is empty" : "must be a mapping of reproduction keys ("
                    + String.join(", ", TOP) + ")");
        }
        unknownKeys("", top, TOP);
        String title = string("title", top.get("title"), true);
        String page = string("page", top.get("page"), false);
        String block = string("block", top.get("block"), false);
        double minutes = number("expected_wall_minutes", top.get("expected_wall_minutes"), true, 0);
        if (!(minutes > 0)) {
            throw err("expected_wall_minutes", "must be > 0, got " + describe(top.get("expected_wall_minutes")));
        }
        List<Reproduction.Requirement> requires = requires(top.get("requires"));
        String defSource = string("source", top.get("source"), false);
        Double defTol = top.get("tolerance") == null ? null : tolerance("tolerance", top.get("tolerance"));
        List<Reproduction.RunGroup> runs = runs(top.get("runs"));
        List<Reproduction.Figure> figures = figures(top.get("figures"), runs, defSource, defTol);
        for (int i = 0; i < runs.size(); i++) {
            plan(i, runs.get(i));
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return new Reproduction(file, name, title, Optional.ofNullable(page), block == null ? "" : block, minutes,
                requires, runs, figures);
    }

    // ---------------------------------------------------------------- sections

    private List<Reproduction.Requirement> requires(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw err("requires", "expected a list of {file, command}, got " + describe(v));
        }
        List<Reproduction.Requirement> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "requires[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw err(where, "expected {file: PATH, command: [cl arguments]}, got " + describe(list.get(i)));
            }
            unknownKeys(where + ".", m, REQUIRE_KEYS);
            String f = string(where + ".file", m.get("file"), true);
            if (!(m.get("command") instanceof List<?> cmd) || cmd.isEmpty()
                    || !cmd.stream().allMatch(c -> c instanceof String || c instanceof Number)) {
                throw err(where + ".command", "expected a non-empty list of cl arguments, got "
                        + describe(m.get("command")));
            }
            out.add(new Reproduction.Requirement(f, cmd.stream().map(String::valueOf).toList()));
        }
        return List.copyOf(out);
    }

    private List<Reproduction.RunGroup> runs(Object v) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw err("runs", v == null ? "missing (give at least one run group)"
                    : "expected a non-empty list of run groups, got " + describe(v));
        }
        List<Reproduction.RunGroup> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> slugs = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "runs[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw err(where, "expected a mapping {name, config|sweep, set, seeds}, got " + describe(list.get(i)));
            }
            unknownKeys(where + ".", m, RUN_KEYS);
            String name = string(where + ".name", m.get("name"), true);
            if (!names.add(name)) {
                throw err(where + ".name", "duplicate run group name '" + name + "'");
            }
            String config = string(where + ".config", m.get("config"), false);
            String sweep = string(where + ".sweep", m.get("sweep"), false);
            if ((config == null) == (sweep == null)) {
                throw err(where, "give exactly one of config and sweep");
            }
            Path dir = file.toAbsolutePath().getParent();
            Optional<Path> cfg = Optional.ofNullable(config).map(c -> existing(where + ".config", dir.resolve(c)));
            Optional<Path> sw = Optional.ofNullable(sweep).map(c -> existing(where + ".sweep", dir.resolve(c)));
            Map<String, Object> set = new LinkedHashMap<>();
            if (m.get("set") != null) {
                if (sweep != null) {
                    throw err(where + ".set", "a sweep group takes its settings from the sweep file");
                }
                if (!(m.get("set") instanceof Map<?, ?> s)) {
                    throw err(where + ".set", "expected a mapping of config keys, got " + describe(m.get("set")));
                }
                flatten("", s, set);
            }
            List<Long> seeds = List.of(0L);
            if (m.containsKey("seeds")) {
                if (sweep != null) {
                    throw err(where + ".seeds", "a sweep group takes its seeds from the sweep file");
                }
                seeds = seeds(where + ".seeds", m.get("seeds"));
            }
            Reproduction.RunGroup g = new Reproduction.RunGroup(name, cfg, sw,
                    java.util.Collections.unmodifiableMap(set), seeds);
            if (!slugs.add(g.slug())) {
                throw err(where + ".name", "'" + name + "' gives the same directory name as an earlier group ("
                        + g.slug() + ")");
            }
            out.add(g);
        }
        return List.copyOf(out);
    }

    private List<Reproduction.Figure> figures(Object v, List<Reproduction.RunGroup> runs, String defSource,
                                              Double defTol) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw err("figures", v == null ? "missing (give at least one figure)"
                    : "expected a non-empty list of figures, got " + describe(v));
        }
        List<String> groups = runs.stream().map(Reproduction.RunGroup::name).toList();
        List<Reproduction.Figure> out = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "figures[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw err(where, "expected a mapping {learner, mode, metric, reference, ...}, got "
                        + describe(list.get(i)));
            }
            unknownKeys(where + ".", m, FIGURE_KEYS);
            String learner = string(where + ".learner", m.get("learner"), true);
            if (!groups.contains(learner)) {
                throw err(where + ".learner", "no run group named '" + learner + "' (run groups: "
                        + String.join(", ", groups) + ")");
            }
            String mode = string(where + ".mode", m.get("mode"), true);
            String metric = string(where + ".metric", m.get("metric"), true);
            if (!MetricTable.METRICS.contains(metric)) {
                throw err(where + ".metric", "unknown metric '" + metric + "' (allowed: "
                        + String.join(", ", MetricTable.METRICS) + ")");
            }
            double reference = number(where + ".reference", m.get("reference"), true, 0);
            String source = m.containsKey("source") ? string(where + ".source", m.get("source"), true) : defSource;
            if (source == null) {
                throw err(where + ".source", "missing (give source here or a top-level source)");
            }
            Double tol = m.containsKey("tolerance") ? tolerance(where + ".tolerance", m.get("tolerance")) : defTol;
            if (tol == null) {
                throw err(where + ".tolerance", "missing (give tolerance here or a top-level tolerance)");
            }
            String table = string(where + ".table", m.get("table"), false);
            Reproduction.Figure f = new Reproduction.Figure(learner, mode, metric, reference, source, tol,
                    table == null ? "" : table);
            if (!ids.add(f.id())) {
                throw err(where, "duplicate figure '" + f.id() + "'");
            }
            out.add(f);
        }
        return List.copyOf(out);
    }

    /** Plans a run group's sweep (validating every run config); errors are reported against this file. */
    private void plan(int i, Reproduction.RunGroup g) {
        try {
            planOf(g);
        } catch (ConfigException e) {
            String prefix = e.source() + ": ";
            String msg = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage();
            throw err("runs[" + i + "] (" + g.name() + ")", msg);
        }
    }

    /** The sweep plan of a group (a config group is written to a temporary sweep file first). */
    static SweepPlan planOf(Reproduction.RunGroup g) {
        if (g.sweep().isPresent()) {
            return SweepRunner.plan(g.sweep().get());
        }
        try {
            Path tmp = Files.createTempDirectory("cl-reproduce-");
            try {
                Path f = tmp.resolve(g.slug() + ".yaml");
                Files.writeString(f, sweepYaml(g));
                return SweepRunner.plan(f);
            } finally {
                try (var s = Files.walk(tmp)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sweep file of a config group: its config as base, {@code run.progress: never} and its set, its seeds. */
    public static String sweepYaml(Reproduction.RunGroup g) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("run.progress", "never");
        set.putAll(g.set());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("base", g.config().orElseThrow().toAbsolutePath().normalize().toString());
        doc.put("set", set);
        doc.put("seeds", g.seeds());
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return "# generated by cl reproduce from run group '" + g.name() + "'\n" + new Yaml(o).dump(doc);
    }

    // ---------------------------------------------------------------- values

    private void flatten(String prefix, Map<?, ?> m, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub && !sub.isEmpty()) {
                flatten(k + ".", sub, out);
            } else {
                out.put(k, e.getValue());
            }
        }
    }

    private List<Long> seeds(String where, Object v) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw err(where, "expected a non-empty list of integers, got " + describe(v));
        }
        List<Long> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 0) {
                throw err(where, "expected non-negative integers, got " + describe(o));
            }
            if (out.contains(((Number) o).longValue())) {
                throw err(where, "duplicate seed " + o);
            }
            out.add(((Number) o).longValue());
        }
        return List.copyOf(out);
    }

    private Path existing(String where, Path p) {
        Path n = p.normalize();
        if (!Files.isRegularFile(n)) {
            throw err(where, "file " + n + " not found");
        }
        return n;
    }

    private String string(String where, Object v, boolean required) {
        if (v == null) {
            if (required) {
                throw err(where, "missing");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw err(where, "expected a string, got " + describe(v));
        }
        if (required && s.isBlank()) {
            throw err(where, "must not be empty");
        }
        return s;
    }

    private double number(String where, Object v, boolean required, double def) {
        if (v == null) {
            if (required) {
                throw err(where, "missing");
            }
            return def;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw err(where, "expected a number, got " + describe(v));
        }
        return n.doubleValue();
    }

    private double tolerance(String where, Object v) {
        double t = number(where, v, true, 0);
        if (t < 0) {
            throw err(where, "must be >= 0, got " + t);
        }
        return t;
    }

    private void unknownKeys(String prefix, Map<?, ?> m, List<String> allowed) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw err(prefix + k, "unknown key (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static String describe(Object v) {
        return ConfigLoader.describe(v);
    }

    private ConfigException err(String key, String problem) {
        return new ConfigException(src, key, problem);
    }
}
