package org.cllab.runs.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated, fully resolved config: every key the run uses (the generic keys and those of its scenario and learner
 * types) has a typed value (or is explicitly unset when its default is derived); keys of other types are absent.
 * Immutable. {@link #toYaml()} is canonical (schema order), so {@link #hash()} identifies the run, and installing or
 * extending another learner never changes it.
 */
public final class RunConfig {
    private final String source;
    private final Map<String, Object> values;
    private final ConfigSchema schema;
    private final Map<String, String> ignored;

    RunConfig(String source, Map<String, Object> values, ConfigSchema schema, Map<String, String> ignored) {
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.schema = schema;
        this.ignored = Collections.unmodifiableMap(new LinkedHashMap<>(ignored));
    }

    /**
     * Keys that were set but are not used by this run's scenario or learner type, each with a one-line warning
     * ({@code SOURCE: key: ignored: not used by ...}). They were checked like any value, take no part in the run and
     * are not in {@link #toYaml()}.
     */
    public Map<String, String> ignoredKeys() {
        return ignored;
    }

    /** The schema (and so the plug-ins) this config was validated against. */
    public ConfigSchema schema() {
        return schema;
    }

    /** The typed view: scenario and learner types with their bound settings. */
    public TypedConfig typed() {
        return TypedConfig.of(this);
    }

    /** Where the config came from (file path), for messages. */
    public String source() {
        return source;
    }

    private Object raw(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("no such config key: " + key);
        }
        return values.get(key);
    }

    public int getInt(String key) {
        return ((Number) raw(key)).intValue();
    }

    public long getLong(String key) {
        return ((Number) raw(key)).longValue();
    }

    public Optional<Long> getOptionalLong(String key) {
        Object o = raw(key);
        return o == null ? Optional.empty() : Optional.of(((Number) o).longValue());
    }

    public double getDouble(String key) {
        return ((Number) raw(key)).doubleValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) raw(key);
    }

    public String getString(String key) {
        return (String) raw(key);
    }

    public int[] getIntArray(String key) {
        return ((List<?>) raw(key)).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    public double[] getDoubleArray(String key) {
        return ((List<?>) raw(key)).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    public List<String> getStringList(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) raw(key)) {
            out.add((String) o);
        }
        return out;
    }

    /** Resolved values in schema order. */
    public Map<String, Object> values() {
        return values;
    }

    /** Canonical nested YAML of all values in schema order (unset derived keys are written as {@code null}). */
    public String toYaml() {
        StringBuilder b = new StringBuilder();
        List<String> open = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            int common = 0;
            while (common < open.size() && common < parts.length - 1 && open.get(common).equals(parts[common])) {
                common++;
            }
            while (open.size() > common) {
                open.remove(open.size() - 1);
            }
            for (int d = common; d < parts.length - 1; d++) {
                b.append("  ".repeat(d)).append(parts[d]).append(":\n");
                open.add(parts[d]);
            }
            b.append("  ".repeat(parts.length - 1)).append(parts[parts.length - 1]).append(": ")
                    .append(yamlValue(e.getValue())).append('\n');
        }
        return b.toString();
    }

    private static String yamlValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(yamlValue(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v instanceof Double d) {
            return Double.toString(d);
        }
        return String.valueOf(v);
    }

    /** SHA-256 of {@link #toYaml()} (hex). */
    public String hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(toYaml().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
