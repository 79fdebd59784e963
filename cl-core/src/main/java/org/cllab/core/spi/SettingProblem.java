package org.cllab.core.spi;

/**
 * A plug-in's objection to a config: the key it is about and a one-line message. The runner reports it as
 * {@code FILE: key: message} (exit code 2), naming the file or {@code --set} that gave the key.
 */
public final class SettingProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public SettingProblem(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The dotted config key the problem is about. */
    public String key() {
        return key;
    }
}
