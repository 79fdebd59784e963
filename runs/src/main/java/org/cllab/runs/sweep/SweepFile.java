package org.cllab.runs.sweep;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.ConfigSchema;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a sweep file (YAML, parsed with SnakeYAML so that lists and maps are real) into a {@link SweepSpec}. Every
 * key and value is checked here, config values against the run-config schema; problems are thrown as one line
 * {@code SWEEP-FILE: key: reason}.
 *
 * <pre>
 * base: split-mnist-finetune.yaml          # run config, relative to the sweep file (default: all defaults)
 * set: {scenario.tasks: 5}                 # overrides for every run (dotted keys, or nested maps)
 * learners: [finetune, ewc]                # learner.type values; an entry may be {type: ewc, set: {...}}
 * grid: {learner.lr: [0.01, 0.001]}        # every combination of the listed values
 * random: {draws: 4, seed: 7, params: {learner.ewc.lambda: {log_uniform: [1, 10000]}}}
 * seeds: [0, 1]                            # run.seed values
 * devices: [cpu]                           # or GPU indices [0, 1]
 * gpu_memory_budget_mb: 16000              # per GPU; with run_memory_mb: how many runs share a GPU
 * run_memory_mb: 4000
 * slurm: {partition: gpu, cpus_per_task: 2, mem: 8G, time: "01:00:00", max_concurrent: 4, max_retries: 2, gpus: 0}
 * </pre>
 */
public final class SweepFile {
    /**
     * A documented key of a sweep file.
     *
     * @param name        key ({@code slurm.*} for the keys of the {@code slurm:} block)
     * @param type        value type, as shown in the docs
     * @param defaultText default, as shown in the docs
     * @param description meaning
     */
    public record Key(String name, String type, String defaultText, String description) {
    }

    /** Every sweep-file key with its meaning: the source of the sweep section of {@code docs/config.md}. */
    public static final List<Key> DOC = List.of(
            new Key("base", "file name", "(all defaults)", "The run config every run starts from, relative to the "
                    + "sweep file. It is validated on its own first."),
            new Key("set", "mapping", "{}", "Config keys set for every run, as dotted keys (`scenario.tasks: 5`) or "
                    + "nested maps."),
            new Key("learners", "list", "(the base learner)", "`learner.type` values, one group of runs each. An entry "
                    + "may be `{type: ewc, set: {learner.ewc.lambda: 100}}`: keys set for that learner's runs only."),
            new Key("grid", "mapping of lists", "(none)", "Config key to the values to try; the runs cover every "
                    + "combination (the last key varies fastest). Empty grids and empty lists are errors."),
            new Key("random", "mapping", "(none)", "`{draws: N, seed: S, params: {KEY: {KIND: [...]}}}`: N random "
                    + "points; KIND is `uniform: [lo, hi]`, `log_uniform: [lo, hi]`, `int_uniform: [lo, hi]` "
                    + "(inclusive) or `choice: [a, b, ...]`. Draw d of KEY comes from "
                    + "`Rng(Seeds.derive(S, \"sweep/KEY/d\"))`; real values are rounded to 6 significant digits."),
            new Key("seeds", "list of integers", "(the base seed)", "`run.seed` values; every other combination runs "
                    + "once per seed, and the reports aggregate over them."),
            new Key("devices", "list", "[cpu]", "Local executor: `cpu` and/or GPU indices (`[0, 1]`). Each run gets "
                    + "one device (`CUDA_VISIBLE_DEVICES`); GPUs need the `-Pcuda` build."),
            new Key("gpu_memory_budget_mb", "integer", "0", "Local executor: GPU memory that the runs on one GPU may "
                    + "use together. With `run_memory_mb`, a GPU takes budget / run_memory_mb runs at a time; 0 = "
                    + "one run per GPU."),
            new Key("run_memory_mb", "integer", "0", "Local executor: GPU memory one run needs (your estimate)."),
            new Key("slurm.partition", "string", "\"\"", "`--partition` (\"\" = the cluster default)."),
            new Key("slurm.account", "string", "\"\"", "`--account` (\"\" = none)."),
            new Key("slurm.cpus_per_task", "integer", "1", "`--cpus-per-task`."),
            new Key("slurm.mem", "string", "4G", "`--mem`, e.g. `8G`, `500M`."),
            new Key("slurm.time", "string", "01:00:00", "`--time` (quote it: YAML reads an unquoted `1:00:00` as "
                    + "the number 3600)."),
            new Key("slurm.max_concurrent", "integer", "0", "Array tasks of the sweep running at once "
                    + "(`--array=...%N`, held across the arrays of a sweep split at the cluster's `MaxArraySize`); "
                    + "0 = none."),
            new Key("slurm.max_retries", "integer", "1", "How often a failed array task is resubmitted."),
            new Key("slurm.gpus", "integer", "0", "GPUs per task (`--gres=gpu:N` when > 0)."),
            new Key("slurm.extra_args", "list of strings", "[]", "Further `#SBATCH` options, verbatim "
                    + "(`--qos=long`)."),
            new Key("slurm.runs_per_task", "integer", "1", "Runs one array task executes one after the other in one "
                    + "JVM (short runs: saves a JVM start and a scheduling round per run)."),
            new Key("slurm.max_submit_jobs", "integer", "0", "Array tasks of the sweep queued or running at once; "
                    + "further arrays are submitted as earlier ones end. 0 = the cluster's limit (the association's "
                    + "`MaxSubmitJobs` when the cluster has accounting, else none)."));

    /** Top-level keys of a sweep file. */
    public static final List<String> KEYS = topKeys();
    /** Keys of the {@code slurm:} block. */
    public static final List<String> SLURM_KEYS = DOC.stream().map(Key::name).filter(k -> k.startsWith("slurm."))
            .map(k -> k.substring("slurm.".length())).toList();

    private static List<String> topKeys() {
        List<String> out = new ArrayList<>();
        for (Key k : DOC) {
            String top = k.name().startsWith("slurm.") ? "slurm" : k.name();
            if (!out.contains(top)) {
                out.add(top);
            }
        }
        return List.copyOf(out);
    }

    /** The sweep section of {@code docs/config.md}. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("## Sweep files\n\n");
        b.append("A sweep file (`./cl sweep SWEEP`) describes many runs: a base config plus what varies. Runs are "
                + "learners x grid points x random draws x seeds; each run's config is the base, then `set`, then its "
                + "learner entry, grid point, random draw and seed, and is validated like a single run before "
                + "anything starts. A run's id is the first 12 hex digits of its resolved config's hash (the same "
                + "hash `cl run` records), so ids do not depend on key order. Problems are reported as "
                + "`SWEEP-FILE: key: reason` or `SWEEP-FILE: run N (overrides): key: reason` with exit code 2. "
                + "See the user guide for an example.\n\n");
        b.append("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Key k : DOC) {
            b.append("| `").append(k.name()).append("` | ").append(k.type()).append(" | `").append(k.defaultText())
                    .append("` | ").append(k.description().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    private final String src;
    private final ConfigLoader loader = new ConfigLoader();

    private SweepFile(Path file) {
        this.src = file.toString();
    }

    /** Parses and checks {@code file}. */
    public static SweepSpec parse(Path file) {
        return new SweepFile(file).read(file);
    }

    private SweepSpec read(Path file) {
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (NoSuchFileException e) {
            throw err("(file)", "sweep file not found");
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw err("(file)", "not valid YAML: " + msg.replaceAll("\\s+", " ").trim());
        }
        if (doc == null) {
            throw err("(file)", "is empty");
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw err("(file)", "must be a mapping of sweep keys (" + String.join(", ", KEYS) + ")");
        }
        for (Object k : top.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw err(String.valueOf(k), "unknown sweep key" + hint(String.valueOf(k), KEYS) + " (allowed: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        Optional<Path> base = Optional.empty();
        if (top.get("base") != null) {
            if (!(top.get("base") instanceof String b) || b.isBlank()) {
                throw err("base", "expected a file name, got " + describe(top.get("base")));
            }
            Path dir = file.toAbsolutePath().getParent();
            Path p = dir.resolve(b).normalize();
            if (!Files.isRegularFile(p)) {
                throw err("base", "config file " + p + " not found");
            }
            base = Optional.of(p);
        }
        Map<String, Object> set = configValues("set", top.get("set"), true);
        List<SweepSpec.LearnerEntry> learners = learners(top);
        Map<String, List<Object>> grid = grid(top);
        SweepSpec.RandomSpec random = random(top.get("random"));
        List<Long> seeds = seeds(top);
        List<Device> devices = devices(top);
        int budget = nonNegativeInt("gpu_memory_budget_mb", top.get("gpu_memory_budget_mb"), 0);
        int runMem = nonNegativeInt("run_memory_mb", top.get("run_memory_mb"), 0);
        if (budget > 0 && runMem > budget) {
            throw err("run_memory_mb", runMem + " MB per run do not fit the GPU memory budget of " + budget + " MB");
        }
        SweepSpec.SlurmOptions slurm = slurm(top.get("slurm"));
        crossCheck(set, learners, grid, random, seeds);
        return new SweepSpec(file, base, set, learners, grid, random, seeds, devices, budget, runMem, slurm);
    }

    // ---------------------------------------------------------------- sections

    private List<SweepSpec.LearnerEntry> learners(Map<?, ?> top) {
        if (!top.containsKey("learners")) {
            return List.of();
        }
        Object v = top.get("learners");
        if (!(v instanceof List<?> list)) {
            throw err("learners", "expected a list of learner types, got " + describe(v));
        }
        if (list.isEmpty()) {
            throw err("learners", "empty list (give at least one learner, or remove the key)");
        }
        List<SweepSpec.LearnerEntry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "learners[" + i + "]";
            Object e = list.get(i);
            String type;
            Map<String, Object> set = Map.of();
            if (e instanceof String s) {
                type = s;
            } else if (e instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!List.of("type", "set").contains(String.valueOf(k))) {
                        throw err(where + "." + k, "unknown key (a learner entry has type and set)");
                    }
                }
                if (!(m.get("type") instanceof String s)) {
                    throw err(where + ".type", "expected a learner type, got " + describe(m.get("type")));
                }
                type = s;
                set = configValues(where + ".set", m.get("set"), true);
                if (set.containsKey("learner.type")) {
                    throw err(where + ".set.learner.type", "set the learner with type, not inside set");
                }
            } else {
                throw err(where, "expected a learner type or {type: ..., set: {...}}, got " + describe(e));
            }
            Object t = check(where, "learner.type", type);
            out.add(new SweepSpec.LearnerEntry((String) t, set));
        }
        return out;
    }

    private Map<String, List<Object>> grid(Map<?, ?> top) {
        if (!top.containsKey("grid")) {
            return Map.of();
        }
        Object v = top.get("grid");
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw err("grid", v instanceof Map<?, ?> || v == null || "".equals(v)
                    ? "empty grid (give at least one key with a list of values, or remove the key)"
                    : "expected a mapping of config keys to lists of values, got " + describe(v));
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("grid", "", m, flat);
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String where = "grid." + e.getKey();
            if (!(e.getValue() instanceof List<?> values)) {
                throw err(where, "expected a list of values, got " + describe(e.getValue())
                        + " (a single value belongs in set:)");
            }
            if (values.isEmpty()) {
                throw err(where, "empty list (a grid axis needs at least one value)");
            }
            List<Object> checked = new ArrayList<>();
            for (Object o : values) {
                checked.add(check("grid", e.getKey(), o));
            }
            if (new LinkedHashSet<>(checked).size() != checked.size()) {
                throw err(where, "lists a value twice: " + values);
            }
            out.put(e.getKey(), List.copyOf(checked));
        }
        return out;
    }

    private SweepSpec.RandomSpec random(Object v) {
        if (v == null) {
            return SweepSpec.RandomSpec.NONE;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw err("random", "expected {draws: N, seed: S, params: {...}}, got " + describe(v));
        }
        for (Object k : m.keySet()) {
            if (!List.of("draws", "seed", "params").contains(String.valueOf(k))) {
                throw err("random." + k, "unknown key (random has draws, seed, params)");
            }
        }
        if (!(m.get("draws") instanceof Integer draws) || draws < 1) {
            throw err("random.draws", "expected an integer >= 1, got " + describe(m.get("draws")));
        }
        Object s = m.get("seed");
        long seed;
        if (s == null) {
            seed = 0;
        } else if (s instanceof Integer || s instanceof Long) {
            seed = ((Number) s).longValue();
        } else {
            throw err("random.seed", "expected an integer, got " + describe(s));
        }
        if (!(m.get("params") instanceof Map<?, ?> params) || params.isEmpty()) {
            throw err("random.params", "expected a non-empty mapping of config keys to distributions, got "
                    + describe(m.get("params")));
        }
        Map<String, SweepSpec.Distribution> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : params.entrySet()) {
            String key = String.valueOf(e.getKey());
            String where = "random.params." + key;
            if (!(e.getValue() instanceof Map<?, ?> d) || d.size() != 1) {
                throw err(where, "expected one distribution, e.g. {log_uniform: [1, 10000]} (kinds: "
                        + String.join(", ", SweepSpec.Distribution.KINDS) + ")");
            }
            String kind = String.valueOf(d.keySet().iterator().next());
            if (!SweepSpec.Distribution.KINDS.contains(kind)) {
                throw err(where, "unknown distribution '" + kind + "' (kinds: "
                        + String.join(", ", SweepSpec.Distribution.KINDS) + ")");
            }
            if (!(d.get(kind) instanceof List<?> args) || args.isEmpty()) {
                throw err(where + "." + kind, "expected a list, got " + describe(d.get(kind)));
            }
            List<Object> values = new ArrayList<>(args);
            if (!kind.equals("choice")) {
                if (args.size() != 2 || !(args.get(0) instanceof Number lo) || !(args.get(1) instanceof Number hi)) {
                    throw err(where + "." + kind, "expected [low, high], got " + args);
                }
                boolean ints = kind.equals("int_uniform");
                if (ints && !(isInteger(lo) && isInteger(hi))) {
                    throw err(where + "." + kind, "expected integer bounds, got " + args);
                }
                if (ints ? lo.longValue() > hi.longValue() : !(lo.doubleValue() < hi.doubleValue())) {
                    throw err(where + "." + kind, "low must be below high, got " + args);
                }
                if (kind.equals("log_uniform") && lo.doubleValue() <= 0) {
                    throw err(where + "." + kind, "log_uniform needs low > 0, got " + args);
                }
                // both bounds must be valid values of the key (the draws lie between them)
                check(where + "." + kind, key, ints ? (Object) lo.longValue() : (Object) lo.doubleValue());
                check(where + "." + kind, key, ints ? (Object) hi.longValue() : (Object) hi.doubleValue());
            } else {
                for (Object o : values) {
                    check(where + ".choice", key, o);
                }
            }
            out.put(key, new SweepSpec.Distribution(kind, values));
        }
        return new SweepSpec.RandomSpec(draws, seed, out);
    }

    private List<Long> seeds(Map<?, ?> top) {
        if (!top.containsKey("seeds")) {
            return List.of();
        }
        Object v = top.get("seeds");
        if (!(v instanceof List<?> list)) {
            throw err("seeds", "expected a list of integers, got " + describe(v));
        }
        if (list.isEmpty()) {
            throw err("seeds", "empty list (give at least one seed, or remove the key)");
        }
        List<Long> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Integer || o instanceof Long)) {
                throw err("seeds", "expected integers, but entry " + describe(o) + " is not");
            }
            long s = ((Number) o).longValue();
            if (out.contains(s)) {
                throw err("seeds", "lists seed " + s + " twice");
            }
            out.add(s);
        }
        return out;
    }

    private List<Device> devices(Map<?, ?> top) {
        if (!top.containsKey("devices")) {
            return List.of(Device.CPU);
        }
        Object v = top.get("devices");
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw err("devices", "expected a non-empty list of cpu or GPU indices, got " + describe(v));
        }
        List<Device> out = new ArrayList<>();
        for (Object o : list) {
            Device d;
            if ("cpu".equals(o)) {
                d = Device.CPU;
            } else if (o instanceof Integer i && i >= 0) {
                d = Device.gpu(i);
            } else {
                throw err("devices", "entry " + describe(o) + " is neither cpu nor a GPU index (0, 1, ...)");
            }
            if (out.contains(d)) {
                throw err("devices", "lists " + o + " twice");
            }
            out.add(d);
        }
        return out;
    }

    private SweepSpec.SlurmOptions slurm(Object v) {
        SweepSpec.SlurmOptions d = SweepSpec.SlurmOptions.DEFAULTS;
        if (v == null) {
            return d;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw err("slurm", "expected a mapping (" + String.join(", ", SLURM_KEYS) + "), got " + describe(v));
        }
        for (Object k : m.keySet()) {
            if (!SLURM_KEYS.contains(String.valueOf(k))) {
                throw err("slurm." + k, "unknown key" + hint(String.valueOf(k), SLURM_KEYS) + " (allowed: "
                        + String.join(", ", SLURM_KEYS) + ")");
            }
        }
        String partition = string(m, "partition", d.partition(), "[A-Za-z0-9_.,-]*");
        String account = string(m, "account", d.account(), "[A-Za-z0-9_.-]*");
        int cpus = nonNegativeInt("slurm.cpus_per_task", m.get("cpus_per_task"), d.cpusPerTask());
        if (cpus < 1) {
            throw err("slurm.cpus_per_task", "must be >= 1, got " + cpus);
        }
        String mem = string(m, "mem", d.mem(), "\\d+[KMGT]?");
        String time = string(m, "time", d.time(),
                "\\d+|\\d+:\\d{2}|\\d+:\\d{2}:\\d{2}|\\d+-\\d+|\\d+-\\d+:\\d{2}|\\d+-\\d+:\\d{2}:\\d{2}");
        int maxConcurrent = nonNegativeInt("slurm.max_concurrent", m.get("max_concurrent"), d.maxConcurrent());
        int maxRetries = nonNegativeInt("slurm.max_retries", m.get("max_retries"), d.maxRetries());
        int gpus = nonNegativeInt("slurm.gpus", m.get("gpus"), d.gpus());
        List<String> extra = new ArrayList<>();
        if (m.get("extra_args") != null) {
            if (!(m.get("extra_args") instanceof List<?> l)) {
                throw err("slurm.extra_args", "expected a list of strings, got " + describe(m.get("extra_args")));
            }
            for (Object o : l) {
                if (!(o instanceof String s) || !s.startsWith("--") || s.contains("\n")) {
                    throw err("slurm.extra_args", "entry " + describe(o) + " is not one sbatch option (--name=value)");
                }
                extra.add(s);
            }
        }
        int runsPerTask = nonNegativeInt("slurm.runs_per_task", m.get("runs_per_task"), d.runsPerTask());
        if (runsPerTask < 1) {
            throw err("slurm.runs_per_task", "must be >= 1, got " + runsPerTask);
        }
        int maxSubmit = nonNegativeInt("slurm.max_submit_jobs", m.get("max_submit_jobs"), d.maxSubmitJobs());
        return new SweepSpec.SlurmOptions(partition, account, cpus, mem, time, maxConcurrent, maxRetries, gpus,
                extra, runsPerTask, maxSubmit);
    }

    private String string(Map<?, ?> m, String key, String def, String pattern) {
        Object o = m.get(key);
        if (o == null) {
            return def;
        }
        // an unquoted 1:00:00 is the YAML 1.1 integer 3600: SLURM times must be strings
        String s = o instanceof Integer && !key.equals("time") ? o.toString() : o instanceof String str ? str : null;
        if (s == null || !s.matches(pattern)) {
            throw err("slurm." + key, "invalid value " + describe(o) + (key.equals("time")
                    ? " (SLURM time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS; quote it)"
                    : key.equals("mem") ? " (e.g. 8G, 500M)" : ""));
        }
        return s;
    }

    /** Keys that two sections would both set: ambiguous, rejected. */
    private void crossCheck(Map<String, Object> set, List<SweepSpec.LearnerEntry> learners,
                            Map<String, List<Object>> grid, SweepSpec.RandomSpec random, List<Long> seeds) {
        for (String k : grid.keySet()) {
            if (set.containsKey(k)) {
                throw err("grid." + k, "is also in set: (give it in one place)");
            }
            if (random.params().containsKey(k)) {
                throw err("grid." + k, "is also in random.params (give it in one place)");
            }
        }
        for (String k : random.params().keySet()) {
            if (set.containsKey(k)) {
                throw err("random.params." + k, "is also in set: (give it in one place)");
            }
        }
        for (int i = 0; i < learners.size(); i++) {
            for (String k : learners.get(i).set().keySet()) {
                if (grid.containsKey(k) || random.params().containsKey(k)) {
                    throw err("learners[" + i + "].set." + k, "is also varied by grid/random (give it in one place)");
                }
            }
        }
        if (!learners.isEmpty()) {
            String where = set.containsKey("learner.type") ? "set.learner.type" : grid.containsKey("learner.type")
                    ? "grid.learner.type" : random.params().containsKey("learner.type")
                    ? "random.params.learner.type" : null;
            if (where != null) {
                throw err(where, "conflicts with learners: (give the learner types in one place)");
            }
        }
        if (!seeds.isEmpty()) {
            String where = set.containsKey("run.seed") ? "set.run.seed" : grid.containsKey("run.seed")
                    ? "grid.run.seed" : random.params().containsKey("run.seed") ? "random.params.run.seed" : null;
            if (where != null) {
                throw err(where, "conflicts with seeds: (give the seeds in one place)");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Reads a {@code set:}-like block: nested maps or dotted keys to single values, each checked. */
    private Map<String, Object> configValues(String where, Object v, boolean allowNull) {
        if (v == null && allowNull) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw err(where, "expected a mapping of config keys to values, got " + describe(v));
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten(where, "", m, flat);
        Map<String, Object> out = new LinkedHashMap<>();
        flat.forEach((k, val) -> out.put(k, check(where, k, val)));
        return out;
    }

    private void flatten(String where, String prefix, Map<?, ?> m, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> inner) {
                flatten(where, key + ".", inner, out);
            } else if (out.put(key, e.getValue()) != null) {
                throw err(where + "." + key, "given twice");
            }
        }
    }

    /** Checks {@code value} of config key {@code key}; a problem is reported as {@code where.key: problem}. */
    private Object check(String where, String key, Object value) {
        try {
            return loader.checkValue(src, key, value);
        } catch (ConfigException e) {
            throw err(where + "." + key, problem(e));
        }
    }

    /** The problem part of a {@link ConfigException}'s {@code SOURCE: key: problem} message. */
    static String problem(ConfigException e) {
        String prefix = e.source() + ": " + e.key() + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private int nonNegativeInt(String key, Object v, int def) {
        if (v == null) {
            return def;
        }
        if (!(v instanceof Integer i) || i < 0) {
            throw err(key, "expected an integer >= 0, got " + describe(v));
        }
        return i;
    }

    private static boolean isInteger(Number n) {
        return n instanceof Integer || n instanceof Long;
    }

    private static String hint(String key, List<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(2, key.length() / 3) ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        return ConfigSchema.editDistance(a, b);
    }

    static String describe(Object v) {
        return ConfigLoader.describe(v);
    }

    private ConfigException err(String key, String problem) {
        return new ConfigException(src, key, problem);
    }

    /** An unmodifiable copy of {@code m} keeping its order. */
    static <K, V> Map<K, V> immutableMap(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
