package org.cllab.runs.config;

/** Value types of config keys. */
public enum KeyType {
    INT("integer"), LONG("integer (64-bit)"), DOUBLE("number"), BOOLEAN("boolean"), STRING("string"),
    INT_LIST("list of integers"), DOUBLE_LIST("list of numbers"), STRING_LIST("list of strings");

    private final String description;

    KeyType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
