package org.cllab.core.spi;

/** Two installed providers register the same type name; the message is one line naming both. */
public final class PluginConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginConflict(String message) {
        super(message);
    }
}
