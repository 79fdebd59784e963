package org.cllab.scenarios.spi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cllab.core.spi.SettingProblem;
import org.cllab.scenarios.data.DataFileException;
import org.cllab.scenarios.data.ImageSet;

/**
 * A dataset as a plug-in: how it is named in {@code scenario.dataset}, where it is found by default and how it is
 * read. Nothing is downloaded.
 */
public interface DatasetType {
    /** The value of {@code scenario.dataset}. */
    String name();

    /** One sentence for the config reference (Markdown). */
    String doc();

    /** Number of classes. */
    int classes();

    /** The bundled copy, read when no directory is given, or empty when nothing is bundled. */
    default Optional<ImageSet[]> bundled() {
        return Optional.empty();
    }

    /** Where the data is read from when no directory is given and nothing is bundled. */
    default Optional<Path> defaultDirectory() {
        return Optional.empty();
    }

    /** How to get the files, appended to a "not found" message (e.g. the Debian package), or "". */
    default String installHint() {
        return "";
    }

    /** What the directory must hold, for the message when no directory is given and there is no default. */
    default String expectedFiles() {
        return "the data files";
    }

    /** Reads {@code {train, test}} from a directory. */
    ImageSet[] load(Path dir);

    /**
     * {@code {train, test}} from {@code dirText}, or when it is empty from the bundled copy or the default directory.
     *
     * @throws org.cllab.scenarios.data.DataFileException a file is missing, unreadable or malformed
     * @throws SettingProblem no directory was given and the dataset has neither a bundled copy nor a default
     */
    default ImageSet[] read(String dirText) {
        if (!dirText.isEmpty()) {
            return load(Path.of(dirText));
        }
        Optional<ImageSet[]> b = bundled();
        if (b.isPresent()) {
            return b.get();
        }
        Path dir = defaultDirectory().orElseThrow(() -> new SettingProblem("scenario.data_dir", name()
                + " needs the directory of " + expectedFiles() + " (nothing is downloaded)"));
        if (!Files.isDirectory(dir)) {
            throw new DataFileException(dir.toString(), "directory not found"
                    + (installHint().isEmpty() ? "" : " (" + installHint() + ", or set scenario.data_dir)"));
        }
        return load(dir);
    }

    /** The one-line message for a data problem, with a hint where the dataset has one. */
    default String explain(DataFileException e) {
        return e.getMessage();
    }
}
