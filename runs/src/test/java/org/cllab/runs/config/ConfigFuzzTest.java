package org.cllab.runs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cllab.runs.RepoRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Config fuzzer: from every config in {@code runs/configs/}, {@value #PER_FILE} mutated configs (keys deleted or
 * renamed, values of the wrong type, out of range, extreme numbers, empty lists, unicode, broken YAML text) and as many
 * mutated {@code --set} overrides are fed to the loader. Every one either loads or is refused with a one-line
 * {@link ConfigException} ({@code SOURCE: key: problem}, exit 2 in {@code cl}); any other exception is a loader bug.
 * Fixed seed; all distinct failures are listed at once.
 */
class ConfigFuzzTest {
    static final int PER_FILE = 2000;

    @TempDir
    Path tmp;

    private static final Object[] VALUES = {
        -1, 0, 1, 7, -7, Integer.MAX_VALUE, Integer.MIN_VALUE, 2147483648L, -2147483649L, Long.MAX_VALUE,
        Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"), 0.0, -0.0, 0.5, -0.5, 1e-320, 1e308,
        -1e308, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 3e38, true,
        false, null, "", " ", "many", "adam", "class-incremental", "ünïcödé ✓ 🙂", "日本語", "\t", "a\nb", "null",
        "~", "[1, 2", "{a: 1}", "-1", "0x10", "1e400", List.of(), List.of(1), List.of(-5, 0), List.of("a", 1),
        List.of(List.of(1)), List.of(1.5, 2.5), List.of("class-incremental", "task-incremental"),
        List.of(Integer.MAX_VALUE), Map.of(), Map.of("a", 1), Map.of("type", "split"),
    };

    private static final String[] OVERRIDE_TEXTS = {
        "", "=", "==", "abc", "[", "]", "{", "}", "[1,", "{a: ", "'", "\"", "!!binary AAAA", "&a [*a]", "*a",
        "!!python/object:os.system ls", ".nan", ".inf", "-.inf", "1e400", "0x7fffffffffffffff", "99999999999999999999",
        "- a", "a: b", "ünïcödé", "\u0000", "\t", "%", "@x", "`", "|", ">", "? a", "[[[[[]]]]]", "null", "~",
        "true", "[]", "{}", "-0", "1_000", "0b11", "0o7", "+5",
    };

    @Test
    void everyMutantLoadsOrGivesAOneLineConfigError() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(RepoRoot.path().resolve("runs/configs"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "configs found: " + files);
        Map<String, String> failures = new TreeMap<>();
        int[] counts = new int[4];
        ConfigSchema schema = ConfigSchema.standard();
        ConfigLoader loader = new ConfigLoader(schema);
        List<String> keys = schema.keys().stream().map(ConfigKey::name).toList();
        Path shm = Path.of("/dev/shm");
        Path work = Files.isDirectory(shm) && Files.isWritable(shm) // memory: ~50x faster rewrites than a disk
                ? Files.createTempDirectory(shm, "cl-config-fuzz-") : tmp;
        try {
            fuzz(files, work, loader, keys, failures, counts);
        } finally {
            if (!work.equals(tmp)) {
                Files.deleteIfExists(work.resolve("m.yaml"));
                Files.delete(work);
            }
        }
        int total = counts[3];
        int loaded = counts[1];
        int refused = counts[2];
        assertTrue(failures.isEmpty(), failures.size() + " mutants broke the loader:\n"
                + String.join("\n\n", failures.values()));
        assertTrue(total >= PER_FILE * 20, "mutants: " + total);
        assertTrue(loaded > total / 50 && refused > total / 2, "a fuzzer whose mutants all load or all fail tests "
                + "little: loaded " + loaded + ", refused " + refused + " of " + total);
    }

    /** counts: {loader bugs, loaded, refused, mutants}. */
    private static void fuzz(List<Path> files, Path work, ConfigLoader loader, List<String> keys,
                             Map<String, String> failures, int[] counts) throws IOException {
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            if (isSweep(file)) {
                continue;
            }
            Random rnd = new Random(1_000L * f + 17);
            Object original = new Yaml().load(Files.readString(file));
            String text = Files.readString(file);
            for (int i = 0; i < PER_FILE; i++) {
                Path mutant = work.resolve("m.yaml");
                String body = rnd.nextInt(8) == 0 ? mutateText(text, rnd) : dump(mutateTree(deepCopy(original), rnd, keys));
                Files.writeString(mutant, body);
                List<String> sets = rnd.nextInt(3) == 0 ? List.of(override(rnd, keys)) : List.of();
                counts[3]++;
                counts[check(loader, mutant, sets, body, failures)]++;
            }
        }
    }

    /** 1 = loaded, 2 = refused with a one-line ConfigException, 0 = a loader bug (recorded in {@code failures}). */
    private static int check(ConfigLoader loader, Path file, List<String> sets, String body,
                             Map<String, String> failures) {
        try {
            loader.load(file, sets);
            return 1;
        } catch (ConfigException e) {
            String m = e.getMessage();
            boolean ok = m != null && !m.isBlank() && !m.contains("\n") && !m.contains("\r")
                    && (m.startsWith(file + ": ") || m.startsWith(ConfigLoader.OVERRIDE_SOURCE + ": "));
            if (ok) {
                return 2;
            }
            failures.putIfAbsent("message:" + m.replaceAll("\\d+", "N").lines().findFirst().orElse(""),
                    "not a one-line 'SOURCE: key: problem' message: " + m + "\n--- config:\n" + body + "\n--- sets: "
                            + sets);
            return 0;
        } catch (RuntimeException | StackOverflowError e) {
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            failures.putIfAbsent(e.getClass().getName() + " at " + at, e + " at " + at + "\n--- config:\n" + body
                    + "\n--- sets: " + sets);
            return 0;
        }
    }

    private static boolean isSweep(Path file) throws IOException {
        String t = Files.readString(file);
        return t.contains("\nseeds:") || t.contains("\ngrid:") || t.contains("\nlearners:") || t.startsWith("base:")
                || t.contains("\nbase:");
    }

    private static String dump(Object tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setAllowUnicode(true);
        return new Yaml(o).dump(tree);
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(k, deepCopy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(deepCopy(v)));
            return c;
        }
        return o;
    }

    /** One to three tree mutations: delete, rename, retype, replace with an extreme value, add keys, reshape. */
    @SuppressWarnings("unchecked")
    private static Object mutateTree(Object root, Random rnd, List<String> keys) {
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            if (!(root instanceof Map<?, ?>)) {
                break;
            }
            Map<Object, Object> m = (Map<Object, Object>) root;
            List<Map<Object, Object>> maps = new ArrayList<>();
            collectMaps(m, maps);
            Map<Object, Object> target = maps.get(rnd.nextInt(maps.size()));
            List<Object> names = new ArrayList<>(target.keySet());
            Object name = names.isEmpty() ? "x" : names.get(rnd.nextInt(names.size()));
            switch (rnd.nextInt(12)) {
                case 0 -> target.remove(name);
                case 1 -> {
                    Object v = target.remove(name);
                    target.put(rename(String.valueOf(name), rnd), v);
                }
                case 2, 3, 4 -> target.put(name, VALUES[rnd.nextInt(VALUES.length)]);
                case 5 -> target.put(name, listOf(VALUES[rnd.nextInt(VALUES.length)]));
                case 6 -> {
                    String key = keys.get(rnd.nextInt(keys.size()));
                    putDotted(m, key, VALUES[rnd.nextInt(VALUES.length)]);
                }
                case 7 -> m.put(keys.get(rnd.nextInt(keys.size())), VALUES[rnd.nextInt(VALUES.length)]);
                case 8 -> {
                    Map<Object, Object> nested = new LinkedHashMap<>();
                    nested.put("nested", VALUES[rnd.nextInt(VALUES.length)]);
                    target.put(name, nested);
                }
                case 9 -> target.put(VALUES[rnd.nextInt(VALUES.length)] == null ? "null" : rnd.nextInt(100),
                        VALUES[rnd.nextInt(VALUES.length)]);
                case 10 -> {
                    Object v = target.get(name);
                    if (v instanceof Number num) {
                        target.put(name, extreme(num, rnd));
                    } else {
                        target.put(name, VALUES[rnd.nextInt(VALUES.length)]);
                    }
                }
                default -> {
                    if (rnd.nextInt(20) == 0) {
                        return rnd.nextBoolean() ? listOf(m) : VALUES[rnd.nextInt(VALUES.length)];
                    }
                    target.put(name, new ArrayList<>());
                }
            }
        }
        return root;
    }

    private static List<Object> listOf(Object v) {
        List<Object> l = new ArrayList<>();
        l.add(v);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static void collectMaps(Map<Object, Object> m, List<Map<Object, Object>> out) {
        out.add(m);
        for (Object v : m.values()) {
            if (v instanceof LinkedHashMap<?, ?> c) {
                collectMaps((Map<Object, Object>) c, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void putDotted(Map<Object, Object> root, String key, Object value) {
        String[] parts = key.split("\\.");
        Map<Object, Object> m = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object c = m.get(parts[i]);
            if (!(c instanceof LinkedHashMap<?, ?>)) {
                c = new LinkedHashMap<>();
                m.put(parts[i], c);
            }
            m = (Map<Object, Object>) c;
        }
        m.put(parts[parts.length - 1], value);
    }

    private static Object extreme(Number n, Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> -n.doubleValue();
            case 1 -> n.doubleValue() * 1e300;
            case 2 -> n.longValue() + Integer.MAX_VALUE;
            case 3 -> -n.longValue();
            case 4 -> n.doubleValue() + 0.5;
            default -> 0;
        };
    }

    private static String rename(String name, Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> name + "s";
            case 1 -> name.toUpperCase();
            case 2 -> name.isEmpty() ? "x" : name.substring(1);
            case 3 -> "ü" + name;
            case 4 -> name + ".x";
            default -> "";
        };
    }

    /** Text-level damage: truncation, a stray character, tabs, duplicated lines, a deleted colon. */
    private static String mutateText(String text, Random rnd) {
        int at = rnd.nextInt(text.length() + 1);
        return switch (rnd.nextInt(6)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + "\":{[&*!|>%@`\t\u00e9\u0000".charAt(rnd.nextInt(15))
                    + text.substring(at);
            case 2 -> text.replace("  ", "\t");
            case 3 -> {
                List<String> lines = new ArrayList<>(text.lines().toList());
                int l = rnd.nextInt(lines.size());
                lines.add(l, lines.get(l));
                yield String.join("\n", lines) + "\n";
            }
            case 4 -> text.replaceFirst(":", "");
            default -> text.substring(0, at) + "\n" + text.substring(at).replaceFirst("\n", "\n   ");
        };
    }

    private static String override(Random rnd, List<String> keys) {
        String key = rnd.nextInt(10) == 0 ? rename(keys.get(rnd.nextInt(keys.size())), rnd)
                : keys.get(rnd.nextInt(keys.size()));
        String value = rnd.nextBoolean() ? OVERRIDE_TEXTS[rnd.nextInt(OVERRIDE_TEXTS.length)]
                : String.valueOf(VALUES[rnd.nextInt(VALUES.length)]);
        return switch (rnd.nextInt(10)) {
            case 0 -> value;
            case 1 -> "=" + value;
            default -> key + "=" + value;
        };
    }

    @Test
    void theFuzzerItselfSeesLoaderErrorsAsFailures() throws IOException {
        Path f = Files.writeString(tmp.resolve("ok.yaml"), "learner: {lr: 0.1}\n");
        Map<String, String> failures = new TreeMap<>();
        ConfigLoader loader = new ConfigLoader();
        assertEquals(1, check(loader, f, List.of(), "", failures));
        assertEquals(2, check(loader, f, List.of("learner.lr=abc"), "", failures));
        assertTrue(failures.isEmpty());
        assertEquals(2, check(loader, f, List.of("learner.lr=\"a\\nb\""), "", failures),
                "a value with a line break is refused in one line (escaped): " + failures);
        Path twice = Files.writeString(tmp.resolve("twice.yaml"), "learner:\n  lr: 0.1\n  lr: 0.2\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> loader.load(twice, List.of()));
        assertTrue(e.getMessage().startsWith(twice + ": (file): not valid YAML: ") && e.getMessage().contains(
                "duplicate key lr"), e.getMessage());
    }
}
