package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** A file of a run directory could not be written (no space left, I/O error); names the file and the reason. */
public final class WriteFailedException extends IOException {
    private final Path file;

    public WriteFailedException(Path file, IOException cause) {
        super("cannot write " + file + ": " + reason(cause), cause);
        this.file = file;
    }

    /** The file that could not be written. */
    public Path file() {
        return file;
    }

    /** One line for any I/O failure: this exception's message, or the file and reason of another. */
    public static String describe(IOException e) {
        if (e instanceof WriteFailedException) {
            return e.getMessage();
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return "I/O error on " + f.getFile() + ": " + reason(e);
        }
        return "I/O error: " + reason(e);
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ").trim();
    }
}
