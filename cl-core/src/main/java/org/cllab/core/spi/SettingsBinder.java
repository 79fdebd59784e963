package org.cllab.core.spi;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the {@link Settings}/{@link Setting} declarations of a settings record: the keys it declares
 * ({@link #keys}), and an instance built from config values ({@link #bind}) or from the defaults
 * ({@link #defaults}). Declarations are checked when first read: a bad default or an unsupported component type is
 * a programming error of the plug-in and fails with {@link IllegalStateException} naming the component.
 */
public final class SettingsBinder {
    private SettingsBinder() {
    }

    /** The keys a settings record declares, nested pieces included, in component order. */
    public static List<SettingKey> keys(Class<? extends Record> type) {
        List<SettingKey> out = new ArrayList<>();
        collect(type, out);
        return out;
    }

    /** An instance from config values: {@code valueOf} maps a dotted key to its value in config representation. */
    public static <S extends Record> S bind(Class<S> type, Function<String, Object> valueOf) {
        Settings piece = piece(type);
        RecordComponent[] comps = type.getRecordComponents();
        Object[] args = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            if (isPiece(c.getType())) {
                args[i] = bind(c.getType().asSubclass(Record.class), valueOf);
            } else {
                String key = keyName(piece, c);
                args[i] = toJava(c, valueOf.apply(key), key);
            }
        }
        try {
            Constructor<S> ctor = type.getDeclaredConstructor(Arrays.stream(comps).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build settings " + type.getName() + ": " + e, e);
        }
    }

    /** An instance with every key at its default. */
    public static <S extends Record> S defaults(Class<S> type) {
        Map<String, Object> defs = new LinkedHashMap<>();
        for (SettingKey k : keys(type)) {
            defs.put(k.name(), k.defaultValue());
        }
        return bind(type, defs::get);
    }

    /** The config text of an enum constant: lower case, {@code -} for {@code _}. */
    public static String enumKey(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code camelCase} to {@code snake_case}. */
    static String snake(String name) {
        StringBuilder b = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static void collect(Class<? extends Record> type, List<SettingKey> out) {
        Settings piece = piece(type);
        for (RecordComponent c : type.getRecordComponents()) {
            if (isPiece(c.getType())) {
                collect(c.getType().asSubclass(Record.class), out);
                continue;
            }
            Setting s = c.getAnnotation(Setting.class);
            if (s == null) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + ": a settings component needs "
                        + "@Setting (or must be a @Settings record)");
            }
            String key = keyName(piece, c);
            SettingKey.Kind kind = kind(c);
            List<String> allowed = allowed(c, s);
            Object def;
            try {
                def = parseDefault(kind, s.def(), c.getType());
            } catch (RuntimeException e) {
                throw new IllegalStateException(key + ": bad default '" + s.def() + "': " + e.getMessage(), e);
            }
            String defText = s.defText().isEmpty() ? String.valueOf(def) : s.defText();
            out.add(new SettingKey(key, kind, def, defText, allowed, s.check(), s.doc(), type));
        }
    }

    private static Settings piece(Class<?> type) {
        Settings piece = type.getAnnotation(Settings.class);
        if (piece == null || !type.isRecord()) {
            throw new IllegalStateException(type.getName() + " is not a @Settings record");
        }
        return piece;
    }

    private static boolean isPiece(Class<?> t) {
        return t.isRecord() && t.isAnnotationPresent(Settings.class);
    }

    private static String keyName(Settings piece, RecordComponent c) {
        Setting s = c.getAnnotation(Setting.class);
        String last = s != null && !s.key().isEmpty() ? s.key() : snake(c.getName());
        return piece.prefix() + "." + last;
    }

    private static SettingKey.Kind kind(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == int.class) {
            return SettingKey.Kind.INT;
        } else if (t == long.class) {
            return SettingKey.Kind.LONG;
        } else if (t == double.class) {
            return SettingKey.Kind.DOUBLE;
        } else if (t == boolean.class) {
            return SettingKey.Kind.BOOLEAN;
        } else if (t == String.class || t.isEnum()) {
            return SettingKey.Kind.STRING;
        } else if (t == int[].class) {
            return SettingKey.Kind.INT_LIST;
        } else if (t == double[].class) {
            return SettingKey.Kind.DOUBLE_LIST;
        } else if (t == List.class && elementType(c) == String.class) {
            return SettingKey.Kind.STRING_LIST;
        }
        throw new IllegalStateException(c.getDeclaringRecord().getName() + "." + c.getName() + ": unsupported "
                + "setting type " + c.getGenericType());
    }

    private static Type elementType(RecordComponent c) {
        return c.getGenericType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    private static List<String> allowed(RecordComponent c, Setting s) {
        if (c.getType().isEnum()) {
            return Arrays.stream(c.getType().getEnumConstants()).map(e -> enumKey((Enum<?>) e)).toList();
        }
        if (s.allowedFrom() != Setting.NoAllowed.class) {
            try {
                Supplier<List<String>> sup = s.allowedFrom().getDeclaredConstructor().newInstance();
                return List.copyOf(sup.get());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(s.allowedFrom().getName() + " needs a public no-argument "
                        + "constructor", e);
            }
        }
        return List.of(s.allowed());
    }

    private static Object parseDefault(SettingKey.Kind kind, String text, Class<?> javaType) {
        String t = text.trim();
        return switch (kind) {
            case INT -> Integer.valueOf(t);
            case LONG -> Long.valueOf(t);
            case DOUBLE -> Double.valueOf(t);
            case BOOLEAN -> {
                if (!t.equals("true") && !t.equals("false")) {
                    throw new IllegalArgumentException("not a boolean");
                }
                yield Boolean.valueOf(t);
            }
            case STRING -> {
                if (javaType.isEnum()) {
                    enumConstant(javaType, text, "(default)");
                }
                yield text;
            }
            case INT_LIST -> listItems(t).stream().map(Integer::valueOf).toList();
            case DOUBLE_LIST -> listItems(t).stream().map(Double::valueOf).toList();
            case STRING_LIST -> listItems(t);
        };
    }

    private static List<String> listItems(String t) {
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new IllegalArgumentException("a list default is written [a, b, ...]");
        }
        String inner = t.substring(1, t.length() - 1).trim();
        return inner.isEmpty() ? List.of() : Arrays.stream(inner.split(",")).map(String::trim).toList();
    }

    private static Object enumConstant(Class<?> type, String text, String key) {
        for (Object e : type.getEnumConstants()) {
            if (enumKey((Enum<?>) e).equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException(key + ": '" + text + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> enumKey((Enum<?>) e)).toList());
    }

    private static Object toJava(RecordComponent c, Object v, String key) {
        Class<?> t = c.getType();
        if (v == null) {
            throw new IllegalStateException("no value for " + key);
        }
        if (t == int.class) {
            return ((Number) v).intValue();
        } else if (t == long.class) {
            return ((Number) v).longValue();
        } else if (t == double.class) {
            return ((Number) v).doubleValue();
        } else if (t == boolean.class) {
            return v;
        } else if (t == String.class) {
            return v;
        } else if (t.isEnum()) {
            return enumConstant(t, (String) v, key);
        } else if (t == int[].class) {
            return ((List<?>) v).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        } else if (t == double[].class) {
            return ((List<?>) v).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        } else {
            return ((List<?>) v).stream().map(String.class::cast).toList();
        }
    }
}
