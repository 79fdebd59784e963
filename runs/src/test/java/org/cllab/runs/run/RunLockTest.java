package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.cli.Cl;
import org.cllab.runs.cli.ClRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory in use is locked: a second process is told who holds it; a dead holder's lock is taken over. */
class RunLockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondProcessGetsOneLineNamingTheHolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            ClRun.Result r = ClRun.run(TinyRuns.clArgs(tmp, dir, "scenario.tasks=2"));
            assertEquals(Cl.LOCKED, r.code(), r.err());
            assertEquals("cl: run directory " + dir + " is in use by pid " + holder.pid() + " on host "
                    + RunLock.host() + " (started ", r.err().substring(0, r.err().indexOf("(started ") + 9));
            assertTrue(r.err().strip().endsWith(") (lock file " + dir.resolve(RunLock.FILE) + ")"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(dir.resolve("config.yaml")), "the second process wrote nothing");
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, Files.size(dir.resolve(RunLock.FILE)), "emptied by its holder when it ends");
    }

    @Test
    void aStaleLockOfADeadProcessIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dir = Files.createDirectories(tmp.resolve("stale"));
        Files.writeString(dir.resolve(RunLock.FILE), "{\"pid\": " + gone.pid() + ", \"host\": \"" + RunLock.host()
                + "\", \"started\": \"2026-01-01T00:00:00Z\"}");
        ClRun.Result r = ClRun.run(TinyRuns.clArgs(tmp, dir, "scenario.tasks=2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("run.log")).contains("took over the stale lock of pid " + gone.pid()
                + " on host " + RunLock.host() + " (started 2026-01-01T00:00:00Z): that process is gone"));
        assertTrue(Files.exists(dir.resolve("summary.json")));
        assertEquals(0, Files.size(dir.resolve(RunLock.FILE)), "emptied by its holder at the end");
    }
}
