package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.cli.ClRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --out} problems are found before any work: one line naming the directory, exit 2, nothing written. */
class OutputDirectoryTest {
    @TempDir
    Path tmp;

    private Path config() throws IOException {
        Path cfg = tmp.resolve("c.yaml");
        Files.writeString(cfg, "scenario: {train_limit: 100, tasks: 2}\nrun: {progress: never}\n");
        return cfg;
    }

    @Test
    void outBelowARegularFileIsRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("results"), "not a directory");
        Path out = file.resolve("sub/run");
        ClRun.Result r = ClRun.run("run", config().toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("--out: " + out + ": " + file + " is a file, not a directory, so the directory cannot be "
                + "created", r.err().strip());
        assertEquals("not a directory", Files.readString(file));
        Path sweepFile = Files.writeString(tmp.resolve("s.yaml"), "set: {scenario.train_limit: 100}\nseeds: [0]\n");
        ClRun.Result sweep = ClRun.run("sweep", sweepFile.toString(), "--out", out.toString());
        assertEquals(2, sweep.code(), sweep.err());
        assertTrue(sweep.err().strip().startsWith("--out: " + out + ": " + file + " is a file"), sweep.err());
    }

    @Test
    void outThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("out"), "x");
        ClRun.Result r = ClRun.run("run", config().toString(), "--out", file.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("--out: " + file + ": exists and is not a directory", r.err().strip());
    }

    /**
     * A directory without write permission. Root ignores permission bits, so as root the command runs in a child JVM
     * inside a user namespace ({@code unshare -U}), where it is the unprivileged user {@code nobody}.
     */
    @Test
    void outWithoutWritePermissionIsRefused() throws Exception {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Path out = locked.resolve("run");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean root = "root".equals(System.getProperty("user.name"));
        int code;
        String err;
        if (!root) {
            ClRun.Result r = ClRun.run("run", config().toString(), "--out", out.toString());
            code = r.code();
            err = r.err();
        } else {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "root, and no unshare to drop privileges");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/unshare", "-U",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "org.cllab.runs.cli.Cl", "run",
                    config().toString(), "--out", out.toString()));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not end");
            err = new String(p.getErrorStream().readAllBytes());
            assumeTrue(!err.contains("unshare failed"), "user namespaces unavailable: " + err);
            code = p.exitValue();
        }
        assertEquals(2, code, err);
        assertTrue(err.strip().endsWith("--out: " + out + ": cannot create files in " + locked
                + " (permission denied)"), err);
        assertFalse(Files.exists(out));
    }
}
