package org.cllab.runs.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/** Lets tests of other packages see how {@code cl serve} parses its options without starting it. */
public final class ServeCommandAccess {
    private ServeCommandAccess() {
    }

    /** The {@code --host} that {@code cl serve DIR} binds when no option is given. */
    public static String defaultHost(Path dir) {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs(dir.toString());
        return c.host;
    }
}
