package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllab.runs.cli.ClRun;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cl sweep --executor local --workers 2} end to end: two tiny runs, each in its own worker JVM. */
@Tag("slow")
class LocalSweepTest {
    @TempDir
    Path tmp;

    @Test
    void twoWorkersRunEachRunInItsOwnJvm() throws Exception {
        Path f = SweepFixtures.write(tmp, "s.yaml", """
                base: base.yaml
                set: {scenario.tasks: 2}
                learners: [finetune, ewc]
                """);
        Path dir = tmp.resolve("sweep");
        ClRun.Result r = ClRun.run("sweep", f.toString(), "--out", dir.toString(), "--workers", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 of 2 runs finished (0 before this session)"), r.out());
        SweepLayout layout = new SweepLayout(dir);
        JsonNode index = Json.MAPPER.readTree(layout.index().toFile());
        assertEquals(2, index.path("counts").path("finished").asInt(), index.toString());
        for (SweepRun run : SweepRunner.plan(f).runs()) {
            JsonNode prov = Json.MAPPER.readTree(layout.runDir(run.id()).resolve("provenance.json").toFile());
            long pid = prov.path("sessions").get(0).path("pid").asLong();
            assertNotEquals(ProcessHandle.current().pid(), pid, "ran in a worker JVM");
            assertEquals(Long.toString(pid), index.path("runs").path(run.id()).path("info").path("pid").asText());
            assertEquals("PASSIVE", prov.path("system").path("omp_wait_policy").asText());
            assertEquals(run.config().hash(), prov.path("config_hash").asText());
            assertTrue(Files.size(layout.workerErr(run.id())) > 0, "worker log captured");
            assertEquals("cpu", index.path("runs").path(run.id()).path("info").path("device").asText());
        }
        String md = Files.readString(layout.reportDir().resolve("results.md"));
        assertTrue(md.contains("| finetune | 1 (0) |") && md.contains("| ewc | 1 (0) |"), md);
        assertTrue(r.err().contains("2/2 done, 0 running, 0 failed, 0 remaining"), r.err());
    }
}
