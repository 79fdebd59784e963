package org.cllab.runs.config;

/** A bad config: the message is one line, {@code SOURCE: key: problem}. */
public final class ConfigException extends RuntimeException {
    private final String source;
    private final String key;

    public ConfigException(String source, String key, String problem) {
        super(source + ": " + key + ": " + problem);
        this.source = source;
        this.key = key;
    }

    /** The config file (or {@code --set}) the problem is in. */
    public String source() {
        return source;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
