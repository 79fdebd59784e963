package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllab.runs.config.ConfigException;

/**
 * Checks an output directory ({@code --out}) before any work: its nearest existing ancestor must be a directory in
 * which this process can create files. A parent that is a regular file, a missing permission or a read-only file
 * system is one line, {@code --out: DIR: problem} (exit 2); nothing is left behind (the probe file is removed).
 */
public final class OutputDirectory {
    private OutputDirectory() {
    }

    /** @throws ConfigException naming {@code dir} and the problem */
    public static void preflight(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new ConfigException("--out", dir.toString(), "no part of the path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new ConfigException("--out", dir.toString(), existing.equals(abs)
                    ? "exists and is not a directory"
                    : existing + " is a file, not a directory, so the directory cannot be created");
        }
        try {
            Path probe = Files.createTempFile(existing, ".cl-write-probe-", ".tmp");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new ConfigException("--out", dir.toString(), "cannot create files in " + existing
                    + " (permission denied)");
        } catch (FileSystemException e) {
            throw new ConfigException("--out", dir.toString(), "cannot create files in " + existing + " ("
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + ")");
        } catch (IOException e) {
            throw new ConfigException("--out", dir.toString(), "cannot create files in " + existing + " ("
                    + e.getMessage() + ")");
        }
    }
}
