package org.cllab.runs.config;

/**
 * A bad config: the message is one line, {@code SOURCE: key: problem}; line breaks and other control characters in
 * echoed values are shown escaped ({@code \n}, {@code \u0000}) so that the message stays one line.
 */
public final class ConfigException extends RuntimeException {
    private final String source;
    private final String key;

    public ConfigException(String source, String key, String problem) {
        super(oneLine(source + ": " + key + ": " + problem));
        this.source = source;
        this.key = key;
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
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
