package org.cllab.core.spi;

import java.util.List;

/**
 * One key as declared by a {@link Setting}: what the runner needs to validate, document and bind it.
 *
 * @param name         dotted key
 * @param kind         value type
 * @param defaultValue default in config representation ({@code Integer}, {@code Long}, {@code Double},
 *                     {@code Boolean}, {@code String} or an immutable {@code List} of those)
 * @param defaultText  how the default is shown in the docs
 * @param allowed      allowed values of a string key (or of each entry of a string list); empty: any
 * @param check        range check
 * @param doc          meaning
 * @param piece        the settings record that declares it
 */
public record SettingKey(String name, Kind kind, Object defaultValue, String defaultText, List<String> allowed,
                         Check check, String doc, Class<?> piece) {
    public SettingKey {
        allowed = List.copyOf(allowed);
    }

    /** Value types. */
    public enum Kind { INT, LONG, DOUBLE, BOOLEAN, STRING, INT_LIST, DOUBLE_LIST, STRING_LIST }

    /** True when {@code other} declares the same key the same way (type, default, allowed values, check). */
    public boolean sameDeclaration(SettingKey other) {
        return name.equals(other.name) && kind == other.kind && defaultValue.equals(other.defaultValue)
                && allowed.equals(other.allowed) && check == other.check;
    }
}
