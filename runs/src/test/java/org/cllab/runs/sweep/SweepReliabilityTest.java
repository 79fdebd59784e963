package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a sweep, a diverged run is failed with its reason in the index and the report and is never retried; a run
 * stopped by SIGTERM is interrupted (not failed) and the next session resumes it.
 */
class SweepReliabilityTest {
    @TempDir
    Path tmp;

    @Test
    void divergedRunsFailWithTheirReasonAndInterruptedRunsResume() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", """
                base: base.yaml
                set: {learner.optimizer: sgd, scenario.tasks: 3, scenario.classes_per_task: 3}
                grid: {learner.lr: [0.05, 3.0e38]}
                """);
        SweepPlan plan = SweepRunner.plan(f);
        String good = plan.runs().get(0).id();
        String bad = plan.runs().get(1).id();
        assertEquals(3.0e38, plan.runs().get(1).config().getDouble("learner.lr"));
        Path dir = tmp.resolve("sweep");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepRunner runner = new SweepRunner(new InProcessExecutor(Set.of(), Set.of(good)), new ExecutorOptions(1, 1),
                new PrintStream(console, true, StandardCharsets.UTF_8), false);

        SweepRunner.Result r1 = runner.run(f, dir);
        assertEquals(List.of(bad), r1.failed(), "the interrupted run is not a failure");
        SweepLayout layout = new SweepLayout(dir);
        JsonNode index = Json.MAPPER.readTree(layout.index().toFile());
        assertEquals("interrupted", index.path("runs").path(good).path("status").asText());
        assertEquals("143", index.path("runs").path(good).path("info").path("exit_code").asText());
        assertEquals("failed", index.path("runs").path(bad).path("status").asText());
        String reason = index.path("runs").path(bad).path("info").path("reason").asText();
        assertTrue(reason.startsWith("training diverged: loss is "), reason);
        assertTrue(reason.contains("learner.lr=3.0E38"), reason);
        assertEquals("4", index.path("runs").path(bad).path("info").path("exit_code").asText());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("run " + good + " interrupted"), console.toString());
        assertEquals(SweepLayout.Phase.PARTIAL, layout.phase(good));
        assertEquals(SweepLayout.Phase.DIVERGED, layout.phase(bad));

        InProcessExecutor second = new InProcessExecutor(Set.of());
        SweepRunner.Result r2 = new SweepRunner(second, new ExecutorOptions(1, 1),
                new PrintStream(console, true, StandardCharsets.UTF_8), false).run(f, dir);
        assertEquals(1, second.executed(), "only the interrupted run is run again; the diverged one is not retried");
        assertEquals(1, r2.finished());
        assertEquals(List.of(bad), r2.failed());
        JsonNode s = Json.MAPPER.readTree(layout.runDir(good).resolve("summary.json").toFile());
        assertEquals(2, s.get("resumed_after_task").asInt(), "resumed after the last boundary before SIGTERM");
        index = Json.MAPPER.readTree(layout.index().toFile());
        assertEquals("finished", index.path("runs").path(good).path("status").asText());
        assertEquals(reason, index.path("runs").path(bad).path("info").path("reason").asText());
        String failedCsv = Files.readString(dir.resolve("report/failed.csv"));
        assertTrue(failedCsv.startsWith("dir,state,reason\n" + bad + ",diverged,"), failedCsv);
        assertTrue(Files.readString(dir.resolve("report/results.md")).contains("## Runs that failed (diverged"));
    }
}
