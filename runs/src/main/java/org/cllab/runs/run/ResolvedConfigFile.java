package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the {@code config.yaml} of a run directory (the resolved config {@code cl run} and {@code cl sweep} write with
 * {@link RunConfig#toYaml()}) fast, for tools that read thousands of them ({@code cl report}).
 *
 * <p>Fast path: the YAML is parsed once with SnakeYAML, flattened to dotted keys and validated by
 * {@link ConfigLoader#load(Path, Map, String)} (every check of the normal loader, no file parsing there); the result is
 * used only when it renders back to exactly the file's text, i.e. when the file is the canonical form of that config.
 * Anything else (a hand-written or edited file, a file of an earlier version, an unknown key, a parse error) goes
 * through {@link ConfigLoader#loadStored(Path)}, with its results and its one-line errors. Not thread-safe (one reader per
 * thread).
 */
public final class ResolvedConfigFile {
    private final ConfigLoader loader = new ConfigLoader();
    private final Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));

    /** The config in {@code file}. */
    public RunConfig read(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            Object doc = yaml.load(text);
            if (doc instanceof Map<?, ?> m) {
                Map<String, Object> flat = new LinkedHashMap<>();
                flatten("", m, flat);
                RunConfig c = loader.load(null, flat, file.toString());
                if (c.toYaml().equals(text)) {
                    return c;
                }
            }
        } catch (RuntimeException e) {
            // not the canonical form: the normal loader decides (and words the error)
        }
        return loader.loadStored(file);
    }

    private static void flatten(String prefix, Map<?, ?> m, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub) {
                flatten(key + ".", sub, out);
            } else if (e.getValue() != null) { // null: an unset derived key, as if absent
                out.put(key, e.getValue());
            }
        }
    }
}
