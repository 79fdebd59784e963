package org.cllab.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every row of the case table in {@code docs/reliability.md} names at least one test, and every test it names exists
 * ({@code Class.method}, {@code .method} for another method of the previous class, or {@code Class} alone).
 */
class ReliabilityDocTest {
    private static final Pattern TICKED = Pattern.compile("`([A-Z][A-Za-z0-9]*)?(\\.[a-z][A-Za-z0-9]*)?`");

    @Test
    void everyCaseNamesTestsThatExist() throws IOException {
        Path root = RepoRoot.path();
        Map<String, String> sources = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java"))
                    .toList()) {
                sources.put(p.getFileName().toString().replace(".java", ""), Files.readString(p));
            }
        }
        List<String> rows = Files.readString(root.resolve("docs/reliability.md")).lines()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| case ") && l.split("\\|").length >= 6)
                .toList();
        assertTrue(rows.size() >= 20, "case rows: " + rows.size());
        List<String> missing = new ArrayList<>();
        for (String row : rows) {
            String[] cells = row.split("\\|");
            String tests = cells[cells.length - 1].isBlank() ? cells[cells.length - 2] : cells[cells.length - 1];
            Matcher m = TICKED.matcher(tests);
            String cls = null;
            int named = 0;
            while (m.find()) {
                if (m.group(1) == null && m.group(2) == null) {
                    continue;
                }
                if (m.group(1) != null) {
                    cls = m.group(1);
                }
                if (cls == null || !sources.containsKey(cls)) {
                    if (m.group(1) != null && m.group(1).endsWith("Test")) {
                        missing.add(cls);
                    }
                    continue;
                }
                if (m.group(2) != null && !sources.get(cls).contains(" " + m.group(2).substring(1) + "(")) {
                    missing.add(cls + m.group(2));
                    continue;
                }
                named++;
            }
            assertTrue(named > 0, "row names no test: " + row);
        }
        assertEquals(List.of(), missing, "tests named in docs/reliability.md that do not exist");
    }
}
