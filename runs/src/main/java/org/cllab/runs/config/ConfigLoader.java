package org.cllab.runs.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Loads a YAML config with Apache Commons Configuration 2, applies {@code --set key=value} overrides and validates
 * everything against the {@link ConfigSchema}. The first problem is thrown as a one-line {@link ConfigException}.
 */
public final class ConfigLoader {
    /** Source name used in messages for command-line overrides. */
    public static final String OVERRIDE_SOURCE = "--set";

    private final ConfigSchema schema;

    public ConfigLoader(ConfigSchema schema) {
        this.schema = schema;
    }

    public ConfigLoader() {
        this(ConfigSchema.standard());
    }

    /** Loads {@code file} (may be null: defaults only) and applies {@code overrides} ({@code key=value}). */
    public RunConfig load(Path file, List<String> overrides) {
        String source = file == null ? "(defaults)" : file.toString();
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        if (file != null) {
            readFile(file, source, given, sourceOf);
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(OVERRIDE_SOURCE, o, "expected key=value");
            }
            String key = o.substring(0, eq).trim();
            String text = o.substring(eq + 1);
            Object value;
            try {
                value = text.isEmpty() ? "" : new Yaml().load(text);
            } catch (RuntimeException e) {
                throw new ConfigException(OVERRIDE_SOURCE, key, "cannot parse value '" + text + "'");
            }
            given.put(key, value);
            sourceOf.put(key, OVERRIDE_SOURCE);
        }
        return resolve(source, given, sourceOf, false);
    }

    /**
     * Loads {@code file} (may be null: defaults only) and applies typed {@code overrides} (dotted key to parsed YAML
     * value, applied in order); problems in an override are reported with {@code overrideSource} as the source.
     */
    public RunConfig load(Path file, Map<String, Object> overrides, String overrideSource) {
        String source = file == null ? "(defaults)" : file.toString();
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        if (file != null) {
            readFile(file, source, given, sourceOf);
        }
        overrides.forEach((key, value) -> {
            given.put(key, value);
            sourceOf.put(key, overrideSource);
        });
        return resolve(source, given, sourceOf, false);
    }

    /**
     * Loads a {@code config.yaml} that the runner wrote into a run directory. Files written before learners became
     * plug-ins hold every learner's keys; keys that this run's scenario and learner types do not use are dropped
     * without a warning, so old run directories can still be reported and resumed.
     */
    public RunConfig loadStored(Path file) {
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        readFile(file, file.toString(), given, sourceOf);
        return resolve(file.toString(), given, sourceOf, true);
    }

    /**
     * Checks one value of one key on its own (known key, type, allowed values, range) and returns it converted to
     * the key's type; problems are thrown as {@code SOURCE: KEY: problem} (for sweep files).
     */
    public Object checkValue(String source, String key, Object value) {
        ConfigKey k = schema.key(key).orElseThrow(() -> new ConfigException(source, key, "unknown key"
                + schema.closest(key).map(c -> " (did you mean " + c + "?)").orElse("")));
        Object v = coerce(k, value, source);
        String problem = k.check().apply(v);
        if (problem != null) {
            throw new ConfigException(source, key, problem);
        }
        checkAllowed(k, v, source);
        return v;
    }

    private RunConfig resolve(String source, Map<String, Object> given, Map<String, String> sourceOf,
                              boolean dropUnused) {
        for (String key : given.keySet()) {
            if (schema.key(key).isEmpty()) {
                String hint = schema.closest(key).map(k -> " (did you mean " + k + "?)").orElse("");
                throw new ConfigException(sourceOf.get(key), key, "unknown key" + hint);
            }
        }
        String scenarioType = (String) value(schema.key("scenario.type").orElseThrow(), given, sourceOf, source);
        String learnerType = (String) value(schema.key("learner.type").orElseThrow(), given, sourceOf, source);
        List<ConfigKey> used = schema.usedKeys(scenarioType, learnerType);
        java.util.Set<String> usedNames = new java.util.HashSet<>();
        used.forEach(k -> usedNames.add(k.name()));
        Map<String, String> ignored = new LinkedHashMap<>();
        for (String key : List.copyOf(given.keySet())) {
            if (!usedNames.contains(key)) {
                value(schema.key(key).orElseThrow(), given, sourceOf, source); // still a valid value of its key
                if (!dropUnused) {
                    ignored.put(key, sourceOf.get(key) + ": " + key + ": ignored: " + schema.notUsedMessage(key,
                            scenarioType, learnerType));
                }
                given.remove(key);
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ConfigKey k : used) {
            resolved.put(k.name(), value(k, given, sourceOf, source));
        }
        RunConfig cfg = new RunConfig(source, resolved, schema, ignored);
        CrossChecks.check(cfg, sourceOf, source);
        return cfg;
    }

    /** The checked, typed value of a key: given, else its default (null for an unset derived default). */
    private static Object value(ConfigKey k, Map<String, Object> given, Map<String, String> sourceOf, String source) {
        Object v = given.containsKey(k.name()) ? given.get(k.name()) : k.defaultValue();
        String src = sourceOf.getOrDefault(k.name(), source);
        if (v != null || given.containsKey(k.name())) {
            v = coerce(k, v, src);
            String problem = k.check().apply(v);
            if (problem != null) {
                throw new ConfigException(src, k.name(), problem);
            }
            checkAllowed(k, v, src);
        }
        return v;
    }

    private static void readFile(Path file, String source, Map<String, Object> given, Map<String, String> sourceOf) {
        YAMLConfiguration yaml = new YAMLConfiguration();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // a key given twice is a mistake, not "the last one wins"
        try (Reader r = Files.newBufferedReader(file)) {
            yaml.read(r, options);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "(file)", "config file not found");
        } catch (IOException | ConfigurationException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Throwable c = e.getCause();
            while (c != null) {
                if (c.getMessage() != null) {
                    msg = c.getMessage();
                }
                c = c.getCause();
            }
            throw new ConfigException(source, "(file)", "not valid YAML: " + msg.replaceAll("\\s+", " ").trim());
        }
        for (Iterator<String> it = yaml.getKeys(); it.hasNext(); ) {
            String key = it.next();
            given.put(key, yaml.getProperty(key));
            sourceOf.put(key, source);
        }
    }

    /** Converts a parsed YAML value to the key's type or throws. */
    static Object coerce(ConfigKey k, Object v, String src) {
        KeyType t = k.type();
        switch (t) {
            case INT, LONG -> {
                if (v instanceof Integer || v instanceof Long) {
                    long l = ((Number) v).longValue();
                    if (t == KeyType.INT && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
                        throw new ConfigException(src, k.name(), "integer out of range: " + v);
                    }
                    return t == KeyType.INT ? (Object) (int) l : (Object) l;
                }
                throw typeError(k, v, src);
            }
            case DOUBLE -> {
                if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
                    double d = n.doubleValue();
                    if (!Double.isFinite(d)) {
                        throw new ConfigException(src, k.name(), "must be a finite number, got " + v);
                    }
                    return d;
                }
                throw typeError(k, v, src);
            }
            case BOOLEAN -> {
                if (v instanceof Boolean) {
                    return v;
                }
                throw typeError(k, v, src);
            }
            case STRING -> {
                if (v instanceof String) {
                    return v;
                }
                throw typeError(k, v, src);
            }
            case INT_LIST, DOUBLE_LIST, STRING_LIST -> {
                List<?> list = asList(v);
                if (list == null) {
                    throw typeError(k, v, src);
                }
                List<Object> out = new ArrayList<>();
                for (Object o : list) {
                    boolean ok = switch (t) {
                        case INT_LIST -> o instanceof Integer;
                        case DOUBLE_LIST -> o instanceof Integer || o instanceof Double || o instanceof Long;
                        default -> o instanceof String;
                    };
                    if (!ok) {
                        throw new ConfigException(src, k.name(), "expected a " + t.description() + ", but entry "
                                + describe(o) + " is not");
                    }
                    out.add(t == KeyType.DOUBLE_LIST ? (Object) ((Number) o).doubleValue() : o);
                }
                return List.copyOf(out);
            }
            default -> throw new IllegalStateException(t.name());
        }
    }

    private static List<?> asList(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof String s && s.isEmpty()) {
            return List.of(); // Commons Configuration reads `key: []` as an empty string
        }
        if (v instanceof Number || v instanceof String) {
            return List.of(v); // ... and `key: [8]` as the scalar 8: a single value is a one-element list
        }
        return null;
    }

    private static void checkAllowed(ConfigKey k, Object v, String src) {
        if (k.allowed().isEmpty()) {
            return;
        }
        List<?> vals = v instanceof List<?> l ? l : List.of(v);
        for (Object o : vals) {
            if (!k.allowed().contains(o)) {
                throw new ConfigException(src, k.name(), "unknown value '" + o + "' (allowed: "
                        + String.join(", ", k.allowed()) + ")");
            }
        }
    }

    private static ConfigException typeError(ConfigKey k, Object v, String src) {
        return new ConfigException(src, k.name(), "expected a " + k.type().description() + ", got " + describe(v));
    }

    /** How a wrong value is shown in a type error: its kind and value (also used by sweep files). */
    public static String describe(Object v) {
        if (v == null) {
            return "nothing (null)";
        }
        if (v instanceof String s) {
            return "string '" + s + "'";
        }
        if (v instanceof List<?>) {
            return "list " + v;
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        return (v instanceof Boolean ? "boolean " : v instanceof Number ? "number " : "") + v;
    }
}
