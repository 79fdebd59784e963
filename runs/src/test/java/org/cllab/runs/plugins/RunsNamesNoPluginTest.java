package org.cllab.runs.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code runs} names no plug-in: no learner type, scenario type or dataset name of any installed plug-in appears as a
 * string literal in {@code runs/src/main}, and no {@code switch} selects on one (issue 10, acceptance 2). Adding a
 * learner therefore never needs an edit here.
 */
class RunsNamesNoPluginTest {
    @Test
    void noInstalledTypeNameIsAStringLiteralInRunsMain() throws IOException {
        Plugins p = Plugins.installed();
        Set<String> names = new LinkedHashSet<>();
        names.addAll(p.learners().keySet());
        names.addAll(p.scenarios().keySet());
        names.addAll(p.datasets().keySet());
        assertTrue(names.size() >= 18, names.toString());
        List<String> hits = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            files = s.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 50, "runs sources found: " + files.size());
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                for (String n : names) {
                    if (lines.get(i).contains("\"" + n + "\"")) {
                        hits.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), hits);
    }
}
