package org.cllab.runs.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a request path (already percent-decoded, relative to the served directory) to a file under that directory,
 * or to nothing. Refused: absolute paths, {@code .} and {@code ..} segments, empty segments, segments starting with
 * a dot (hidden files such as {@code .sweep.lock}), backslashes and NUL, and anything whose real path (symbolic links
 * resolved) is outside the directory. The check is made on the decoded text, so {@code %2e%2e} is refused like
 * {@code ..}.
 */
public final class SafePaths {
    private final Path realRoot;

    /** @param root the served directory; it must exist */
    public SafePaths(Path root) throws IOException {
        this.realRoot = root.toRealPath();
    }

    /** The served directory, symbolic links resolved. */
    public Path root() {
        return realRoot;
    }

    /**
     * @param relative decoded path below the root, {@code ""} for the root itself; segments separated by {@code /}
     * @return the existing file or directory it names, by its real path, when that is inside the root
     */
    public Optional<Path> resolve(String relative) {
        if (relative == null || relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0
                || relative.startsWith("/")) {
            return Optional.empty();
        }
        Path p = realRoot;
        if (!relative.isEmpty()) {
            for (String segment : relative.split("/", -1)) {
                if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf(':') >= 0) {
                    return Optional.empty();
                }
                try {
                    p = p.resolve(segment);
                } catch (InvalidPathException e) {
                    return Optional.empty();
                }
            }
        }
        if (!p.startsWith(realRoot) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Path real = p.toRealPath();
            return real.startsWith(realRoot) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code file} relative to the root with {@code /} separators ({@code ""} for the root). */
    public String relative(Path file) {
        return realRoot.relativize(file).toString().replace('\\', '/');
    }
}
