package org.cllab.runs.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cllab.core.api.Mode;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.SettingKey;
import org.cllab.runs.plugins.Plugins;
import org.cllab.scenarios.spi.ScenarioType;

/**
 * The config keys: the generic ones declared here ({@code run.*}, {@code scenario.type}, {@code scenario.mode},
 * {@code scenario.encoder}, {@code scenario.seed}, {@code learner.type}, {@code learner.seed}, {@code evaluation.*})
 * and those of every installed scenario and learner type, read from their settings records ({@link Plugins}). A run
 * uses the generic keys plus the keys of its scenario type and its learner type ({@link #usedKeys}); only those are
 * validated, written to its canonical config and hashed. {@link #markdown()} renders {@code docs/config.md}.
 */
public final class ConfigSchema {
    /** Keys of {@code run.*} and {@code scenario.type}. */
    private final List<ConfigKey> head;
    /** Generic scenario keys after the type's own: encoder, mode, seed. */
    private final List<ConfigKey> scenarioTail;
    /** {@code learner.type}, {@code learner.seed}. */
    private final List<ConfigKey> learnerHead;
    /** {@code evaluation.*}. */
    private final List<ConfigKey> tail;
    private final Map<String, List<ConfigKey>> scenarioKeys = new LinkedHashMap<>();
    private final Map<String, List<ConfigKey>> learnerKeys = new LinkedHashMap<>();
    private final Map<String, ConfigKey> keys;
    private final Plugins plugins;

    private ConfigSchema(Plugins plugins) {
        this.plugins = plugins;
        List<String> scenarioNames = List.copyOf(plugins.scenarios().keySet());
        List<String> learnerNames = List.copyOf(plugins.learners().keySet());
        head = List.of(
                k("run.name", KeyType.STRING, "", "Free-form name of the run, copied to provenance and summary."),
                k("run.seed", KeyType.LONG, 0L, "Root seed. The stream seed and the learner seed derive from it "
                        + "(see `scenario.seed`, `learner.seed`)."),
                k("run.checkpoints", KeyType.BOOLEAN, true, "Save learner state and partial results at every task "
                        + "boundary. Needed to resume an interrupted run."),
                k("run.keep_checkpoints", KeyType.INT, 0, NON_NEGATIVE, "How many task-boundary checkpoints to keep "
                        + "(newest first); 0 keeps all."),
                choice("run.progress", "auto", List.of("auto", "always", "never"), "Progress bar on standard error: "
                        + "`auto` shows it only on a terminal; otherwise progress goes to the log every 10 %."),
                choice("scenario.type", scenarioNames.get(0), scenarioNames, "Task stream: " + plugins.scenarios()
                        .values().stream().map(t -> "`" + t.name() + "` (" + t.doc() + ")")
                        .collect(Collectors.joining(", ")) + ". Each type's own keys are listed below."));
        scenarioTail = List.of(
                k("scenario.encoder", KeyType.STRING, "", "Frozen encoder file (from `cl pretrain-encoder --out "
                        + "FILE`, with its provenance FILE.json): when set, every sample is replaced by the encoder's "
                        + "features before any learner sees it. The encoder must come from a different dataset than "
                        + "the stream."),
                choice("scenario.mode", "class-incremental", MODES, "Training mode: decides the output layout "
                        + "(one unit per class, one head per task, or one shared head) and the label space of the "
                        + "stream."),
                new ConfigKey("scenario.seed", KeyType.LONG, null, "derived from `run.seed`", List.of(), ANY,
                        "Stream seed: class order and permutations. Default: `Seeds.derive(run.seed, \"stream\")`."));
        learnerHead = List.of(
                choice("learner.type", learnerNames.get(0), learnerNames, plugins.learners().values().stream()
                        .map(t -> "`" + t.name() + "`: " + t.doc()).collect(Collectors.joining("; "))
                        + ". Each type's own keys are listed below."),
                new ConfigKey("learner.seed", KeyType.LONG, null, "derived from `run.seed`", List.of(), ANY,
                        "Learner seed: initialisation and minibatch order. Default: "
                                + "`Seeds.derive(run.seed, \"learner\")`."));
        tail = List.of(
                new ConfigKey("evaluation.modes", KeyType.STRING_LIST, List.of(), "[] (the training mode)",
                        MODES, ANY, "Modes evaluated after every task, one accuracy matrix each. A "
                        + "class-incremental model can also be evaluated task-incrementally."),
                k("evaluation.batch_size", KeyType.INT, 1000, POSITIVE, "Test batch size."),
                k("evaluation.joint_reference", KeyType.STRING, "", "Directory of a finished `joint` run on the same "
                        + "scenario; when set, intransigence is reported against its diagonal."));
        for (String s : scenarioNames) {
            scenarioKeys.put(s, plugins.scenarioKeys(s).stream().map(ConfigSchema::fromSetting).toList());
        }
        for (String l : learnerNames) {
            learnerKeys.put(l, plugins.learnerKeys(l).stream().map(ConfigSchema::fromSetting).toList());
        }
        Map<String, ConfigKey> all = new LinkedHashMap<>();
        List<ConfigKey> ordered = new ArrayList<>(head);
        scenarioKeys.values().forEach(ordered::addAll);
        ordered.addAll(scenarioTail);
        ordered.addAll(learnerHead);
        learnerKeys.values().forEach(ordered::addAll);
        ordered.addAll(tail);
        for (ConfigKey k : ordered) {
            all.putIfAbsent(k.name(), k);
        }
        this.keys = Collections.unmodifiableMap(all);
    }

    private static volatile ConfigSchema standard;

    /** The schema of `cl run` configs, from the installed plug-ins. */
    public static ConfigSchema standard() {
        ConfigSchema s = standard;
        if (s == null) {
            synchronized (ConfigSchema.class) {
                s = standard;
                if (s == null) {
                    s = new ConfigSchema(Plugins.installed());
                    standard = s;
                }
            }
        }
        return s;
    }

    /** The schema of the given plug-ins (tests). */
    public static ConfigSchema of(Plugins plugins) {
        return new ConfigSchema(plugins);
    }

    /** The plug-ins this schema was built from. */
    public Plugins plugins() {
        return plugins;
    }

    /** Every key any run may use, in documentation order. */
    public List<ConfigKey> keys() {
        return List.copyOf(keys.values());
    }

    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** Names of the installed learner types, in their canonical (report) order. */
    public List<String> learnerTypes() {
        return List.copyOf(learnerKeys.keySet());
    }

    /**
     * The keys a run of this scenario type and learner type uses, in canonical order (section by section, keys
     * sharing a parent kept together): generic keys, then the types' own.
     */
    public List<ConfigKey> usedKeys(String scenarioType, String learnerType) {
        List<ConfigKey> out = new ArrayList<>(head);
        out.addAll(scenarioKeys.getOrDefault(scenarioType, List.of()));
        out.addAll(scenarioTail);
        out.addAll(learnerHead);
        out.addAll(learnerKeys.getOrDefault(learnerType, List.of()));
        out.addAll(tail);
        return groupByParent(out);
    }

    /** Why a known key is not accepted for this scenario and learner type: one line, e.g. who uses it. */
    public String notUsedMessage(String key, String scenarioType, String learnerType) {
        boolean learner = key.startsWith("learner.");
        Map<String, List<ConfigKey>> owners = learner ? learnerKeys : scenarioKeys;
        List<String> users = owners.entrySet().stream().filter(e -> e.getValue().stream()
                .anyMatch(k -> k.name().equals(key))).map(Map.Entry::getKey).toList();
        return "not used by " + (learner ? "learner type " + learnerType : "scenario type " + scenarioType)
                + " (used by " + String.join(", ", users) + ")";
    }

    /**
     * Keys with a common parent made contiguous, otherwise in the given order, so that the nested YAML opens each
     * parent once: sorted by the first position of each of their ancestors, then by their own.
     */
    private static List<ConfigKey> groupByParent(List<ConfigKey> keys) {
        Map<String, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String n = keys.get(i).name();
            for (int dot = n.indexOf('.'); dot >= 0; dot = n.indexOf('.', dot + 1)) {
                first.putIfAbsent(n.substring(0, dot), i);
            }
        }
        List<int[]> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String n = keys.get(i).name();
            List<Integer> v = new ArrayList<>();
            for (int dot = n.indexOf('.'); dot >= 0; dot = n.indexOf('.', dot + 1)) {
                v.add(first.get(n.substring(0, dot)));
            }
            v.add(i);
            order.add(v.stream().mapToInt(Integer::intValue).toArray());
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> java.util.Arrays.compare(order.get(a), order.get(b)));
        return idx.stream().map(keys::get).toList();
    }

    /** The key closest to {@code name} (edit distance) among {@code candidates}, for "did you mean" hints. */
    public static Optional<String> closest(String name, Iterable<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : candidates) {
            int d = editDistance(name, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(3, name.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** The known key closest to {@code name} (edit distance), for "did you mean" hints. */
    public Optional<String> closest(String name) {
        return closest(name, keys.keySet());
    }

    /** Levenshtein distance, for "did you mean" hints (also used by sweep files). */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---------------------------------------------------------------- building keys

    private static final List<String> MODES = List.of(Mode.CLASS_INCREMENTAL.key(), Mode.TASK_INCREMENTAL.key(),
            Mode.DOMAIN_INCREMENTAL.key());
    private static final Function<Object, String> ANY = v -> null;
    private static final Function<Object, String> POSITIVE = v -> ((Number) v).doubleValue() > 0 ? null
            : "must be > 0, got " + v;
    private static final Function<Object, String> NON_NEGATIVE = v -> ((Number) v).doubleValue() >= 0 ? null
            : "must be >= 0, got " + v;

    private static ConfigKey fromSetting(SettingKey s) {
        return new ConfigKey(s.name(), KeyType.valueOf(s.kind().name()), s.defaultValue(), s.defaultText(),
                s.allowed(), v -> s.check().problem(v), s.doc());
    }

    private static ConfigKey k(String name, KeyType type, Object def, String description) {
        return new ConfigKey(name, type, def, String.valueOf(def), List.of(), ANY, description);
    }

    private static ConfigKey k(String name, KeyType type, Object def, Function<Object, String> check,
                               String description) {
        return new ConfigKey(name, type, def, String.valueOf(def), List.of(), check, description);
    }

    private static ConfigKey choice(String name, String def, List<String> allowed, String description) {
        return new ConfigKey(name, KeyType.STRING, def, def, allowed, ANY, description);
    }

    // ---------------------------------------------------------------- docs/config.md

    /** {@code docs/config.md}, generated. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Config reference\n\n");
        b.append("<!-- Generated from the installed plug-ins by `./cl config-doc`; ConfigDocTest fails when this file "
                + "and the code disagree. Do not edit by hand. -->\n\n");
        b.append("A run config is a YAML file whose nested keys are the dotted names below; every key is "
                + "optional. A list key also accepts a single value (`hidden: 100` is `[100]`: YAML readers in Commons "
                + "Configuration cannot tell a one-element list from a scalar). `./cl run CONFIG --set key=value` "
                + "overrides any key (the value is parsed as YAML, e.g. `--set learner.hidden=[100,100]`). Unknown "
                + "keys, wrong types and impossible values are rejected before any work with `FILE: key: message` and "
                + "exit code 2. A valid key that the chosen scenario or learner type does not use (say "
                + "`learner.ewc.lambda` for `finetune`) is ignored with a warning `FILE: key: ignored: not used by "
                + "...` in the run log.\n\n");
        b.append("A run uses the generic keys (`run.*`, `scenario.type`, `scenario.encoder`, `scenario.mode`, "
                + "`scenario.seed`, `learner.type`, `learner.seed`, `evaluation.*`) plus the keys of its scenario type "
                + "and of its learner type, each declared by the type's settings record next to its code. Only these "
                + "keys are written to the run's `config.yaml` and hashed, so installing another learner never "
                + "changes a run's identity.\n\n");
        section(b, "`run`", null, head.subList(0, head.size() - 1));
        List<ConfigKey> scenarioGeneric = new ArrayList<>();
        scenarioGeneric.add(head.get(head.size() - 1));
        scenarioGeneric.addAll(scenarioTail);
        section(b, "`scenario`", null, scenarioGeneric);
        for (ScenarioType<?> t : plugins.scenarios().values()) {
            section(b, "`scenario.type: " + t.name() + "`", t.doc(), scenarioKeys.get(t.name()));
        }
        section(b, "`learner`", null, learnerHead);
        for (LearnerType<?> t : plugins.learners().values()) {
            section(b, "`learner.type: " + t.name() + "`", t.doc() + " Training modes: " + t.trainingModes().stream()
                    .map(Mode::key).sorted().collect(Collectors.joining(", ")) + ".", learnerKeys.get(t.name()));
        }
        section(b, "`evaluation`", null, tail);
        return b.toString();
    }

    private static void section(StringBuilder b, String title, String doc, List<ConfigKey> keys) {
        b.append("## ").append(title).append("\n\n");
        if (doc != null) {
            b.append(Character.toUpperCase(doc.charAt(0))).append(doc.substring(1));
            b.append(doc.endsWith(".") ? "" : ".").append("\n\n");
        }
        if (keys.isEmpty()) {
            b.append("No keys of its own.\n\n");
            return;
        }
        b.append("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (ConfigKey k : keys) {
            String type = k.type().description();
            if (!k.allowed().isEmpty()) {
                type += ": " + String.join(" \\| ", k.allowed().stream().map(a -> "`" + a + "`").toList());
            }
            b.append("| `").append(k.name()).append("` | ").append(type).append(" | `")
                    .append(k.defaultText()).append("` | ").append(k.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        b.append('\n');
    }
}
