package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress line: counts, ETA, one line per state change when not on a terminal. */
class SweepProgressTest {
    @TempDir
    Path tmp;

    @Test
    void countsAndOneLinePerChangeWithoutATerminal() throws Exception {
        List<SweepRun> runs = SweepRunner.plan(SweepFixtures.write(tmp, "s.yaml",
                "base: base.yaml\nseeds: [0, 1, 2, 3]\n")).runs();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (SweepProgress p = new SweepProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 5, 1, 2)) {
            assertTrue(p.counts().startsWith("1/5 done, 0 running, 0 failed, 4 remaining, elapsed 0:00, ETA ?"),
                    p.counts());
            p.onStatus(runs.get(0), RunStatus.RUNNING, Map.of("device", "cpu"));
            p.onStatus(runs.get(1), RunStatus.RUNNING, Map.of("device", "cpu"));
            p.onStatus(runs.get(0), RunStatus.FINISHED, Map.of());
            p.onStatus(runs.get(1), RunStatus.FAILED, Map.of("exit_code", "1"));
            p.onStatus(runs.get(2), RunStatus.RUNNING, Map.of("device", "cpu"));
            assertTrue(p.counts().startsWith("2/5 done, 1 running, 1 failed, 1 remaining"), p.counts());
            assertTrue(p.counts().matches(".*ETA \\d+:\\d\\d$"), "ETA known after a finished run: " + p.counts());
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("sweep: 1/5 done, 1 running, 0 failed, 3 remaining"), lines.get(0));
        assertTrue(lines.get(0).endsWith("run " + runs.get(0).id() + " started on cpu: finetune seed=0"), lines.get(0));
        assertTrue(lines.get(3).contains("run " + runs.get(1).id() + " FAILED (exit code 1)"), lines.get(3));
        assertTrue(lines.stream().noneMatch(l -> l.contains("\r")), "no carriage returns in logs");
        assertEquals("1:01:05", SweepProgress.clock(3665));
        assertEquals("2:05", SweepProgress.clock(125));
    }

    /** SLURM: the ETA uses slurm.max_concurrent and the runs' own wall_seconds; without a limit, the peak seen. */
    @Test
    void etaFromTheConcurrencyLimitAndMeasuredRunTimes() throws Exception {
        List<SweepRun> runs = SweepRunner.plan(SweepFixtures.write(tmp, "s.yaml",
                "base: base.yaml\nseeds: [0, 1, 2, 3]\n")).runs();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (SweepProgress p = new SweepProgress(sink, false, 10, 0, 4)) {
            p.onStatus(runs.get(0), RunStatus.RUNNING, Map.of());
            p.onStatus(runs.get(0), RunStatus.FINISHED, Map.of("wall_seconds", "60.0"));
            assertTrue(p.counts().endsWith("ETA 2:15"), "60 s x 9 runs / 4 at a time: " + p.counts());
        }
        try (SweepProgress p = new SweepProgress(sink, false, 10, 0, 0)) {
            for (int i = 0; i < 3; i++) {
                p.onStatus(runs.get(i), RunStatus.RUNNING, Map.of());
            }
            p.onStatus(runs.get(0), RunStatus.FINISHED, Map.of("wall_seconds", "30"));
            assertTrue(p.counts().endsWith("ETA 1:30"), "30 s x 9 runs / 3 seen at once: " + p.counts());
        }
        try (SweepProgress p = new SweepProgress(sink, false, 10, 8, 4)) {
            p.onStatus(runs.get(0), RunStatus.RUNNING, Map.of());
            p.onStatus(runs.get(1), RunStatus.RUNNING, Map.of());
            p.onStatus(runs.get(0), RunStatus.FINISHED, Map.of("wall_seconds", "50"));
            assertTrue(p.counts().endsWith("ETA 0:50"), "the last run alone: " + p.counts());
        }
    }
}
