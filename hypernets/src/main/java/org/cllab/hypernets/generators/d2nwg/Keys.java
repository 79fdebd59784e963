package org.cllab.hypernets.generators.d2nwg;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllab.core.spi.SettingProblem;

/** Typed reads of a flattened config with defaults; {@link #finish} refuses keys nobody read. */
final class Keys {
    private final Map<String, Object> m;
    private final Set<String> read = new HashSet<>();

    Keys(Map<String, Object> m) {
        this.m = m;
    }

    int i(String k, int def) {
        read.add(k);
        Object v = m.get(k);
        if (v == null) {
            return def;
        }
        if (v instanceof Integer n) {
            return n;
        }
        throw new SettingProblem(k, "expected an integer, got '" + v + "'");
    }

    long l(String k, long def) {
        read.add(k);
        Object v = m.get(k);
        if (v == null) {
            return def;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw new SettingProblem(k, "expected an integer, got '" + v + "'");
    }

    double d(String k, double def) {
        read.add(k);
        Object v = m.get(k);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new SettingProblem(k, "expected a number, got '" + v + "'");
    }

    boolean b(String k, boolean def) {
        read.add(k);
        Object v = m.get(k);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean x) {
            return x;
        }
        throw new SettingProblem(k, "expected true or false, got '" + v + "'");
    }

    String s(String k, String def) {
        read.add(k);
        Object v = m.get(k);
        if (v == null) {
            if (def == null) {
                throw new SettingProblem(k, "missing");
            }
            return def;
        }
        return v.toString();
    }

    int[] ints(String k, int[] def) {
        read.add(k);
        Object v = m.get(k);
        if (v == null) {
            return def;
        }
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Integer)) {
            return l.stream().mapToInt(x -> (Integer) x).toArray();
        }
        throw new SettingProblem(k, "expected a list of integers, got '" + v + "'");
    }

    static void positive(String k, double v) {
        if (!(v > 0)) {
            throw new SettingProblem(k, "must be > 0, got " + v);
        }
    }

    void finish() {
        for (String k : m.keySet()) {
            if (!read.contains(k)) {
                throw new SettingProblem(k, "unknown key");
            }
        }
    }
}
