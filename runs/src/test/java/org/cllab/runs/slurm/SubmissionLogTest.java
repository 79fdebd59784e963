package org.cllab.runs.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DIR/slurm/jobs.json}: what {@code cl cancel} and a rerun of the sweep read back. */
class SubmissionLogTest {
    @TempDir
    Path tmp;

    @Test
    void submissionsRoundTripAndSessionsCount() throws Exception {
        SubmissionLog log = SubmissionLog.read(tmp);
        assertTrue(log.submissions().isEmpty());
        assertEquals(1, log.nextSession());
        SubmissionLog.Submission first = new SubmissionLog.Submission(41, 1, 1, "2026-11-26T17:00:00Z",
                log.dir().resolve("s01-1.sh"), log.taskList(1), Map.of(0, "aaa", 1, "bbb"));
        log.add(first);
        SubmissionLog.Submission retry = new SubmissionLog.Submission(44, 1, 2, "2026-11-26T17:01:00Z",
                log.dir().resolve("s01-2.sh"), log.taskList(1), Map.of(1, "bbb"));
        log.add(retry);

        SubmissionLog back = SubmissionLog.read(tmp);
        assertEquals(java.util.List.of(first, retry), back.submissions());
        assertEquals(2, back.nextSession());
        Files.writeString(back.taskList(2), "x\t y\n"); // written, but its sbatch failed: the number is taken
        assertEquals(3, back.nextSession());
        assertEquals(tmp.resolve("slurm/jobs.json"), back.dir().resolve("jobs.json"));
        try (var s = Files.list(back.dir())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary file left");
        }
    }
}
