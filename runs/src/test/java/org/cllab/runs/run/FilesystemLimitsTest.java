package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllab.runs.cli.Cl;
import org.cllab.runs.cli.ClRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --out} on a size-limited or read-only file system (a tmpfs mounted by the test; skipped with the reason where
 * mounting is impossible, e.g. without root): running out of space is one line naming the file, exit
 * {@link Cl#IO_FAILURE}, a consistent directory, and after space is freed the same command resumes to the summary of
 * an uninterrupted run; a read-only file system is refused before any work (exit 2).
 */
@Tag("slow")
class FilesystemLimitsTest {
    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();

    private Path mount(String options) throws Exception {
        Path m = Files.createDirectories(tmp.resolve("mnt" + mounts.size()));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", m.toString())
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assumeTrue(ended && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): " + out);
        mounts.add(m);
        return m;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            new ProcessBuilder("umount", "-l", m.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    @Test
    void runningOutOfSpaceIsOneLineAndTheSameCommandResumesAfterSpaceIsFreed() throws Exception {
        Path ref = tmp.resolve("ref");
        assertEquals(0, ClRun.run(TinyRuns.clArgs(tmp, ref)).code());
        long full = size(ref);
        Path m = mount("size=" + (full * 3 / 2 / 4096 + 64) * 4096);
        Path ballast = m.resolve("ballast");
        long free = Files.getFileStore(m).getUsableSpace();
        Files.write(ballast, new byte[(int) (free - full / 2)]); // leaves room for about half the run
        Path out = m.resolve("run");

        ClRun.Result r = ClRun.run(TinyRuns.clArgs(tmp, out));
        assertEquals(Cl.IO_FAILURE, r.code(), r.out() + r.err());
        List<String> errLines = r.err().strip().lines().filter(l -> l.startsWith("cl: ")).toList();
        assertEquals(1, errLines.size(), r.err());
        assertTrue(errLines.get(0).startsWith("cl: cannot write " + out + "/"), r.err());
        assertTrue(errLines.get(0).endsWith(": No space left on device"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out.resolve("summary.json")));
        try (Stream<Path> s = Files.walk(out)) {
            List<Path> leftovers = s.filter(p -> p.getFileName().toString().contains(".tmp-")
                    || p.getFileName().toString().startsWith(".partial-")).toList();
            assertEquals(List.of(), leftovers, "no temporary files or partial boundaries left");
        }
        Optional<Integer> last;
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            last = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("task-\\d+"))
                    .map(n -> Integer.parseInt(n.substring(5))).max(Integer::compare);
        }
        assertTrue(last.isPresent() && last.get() < 5, "stopped part-way: " + last);

        Files.delete(ballast);
        ClRun.Result again = ClRun.run(TinyRuns.clArgs(tmp, out));
        assertEquals(0, again.code(), again.err());
        JsonNode a = Json.MAPPER.readTree(ref.resolve("summary.json").toFile());
        JsonNode b = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(a.get("evaluations"), b.get("evaluations"), "same results as the uninterrupted run");
        assertEquals(a.get("config_hash"), b.get("config_hash"));
        assertTrue(b.get("resumed_after_task").asInt() >= 0, "resumed, not redone");
        assertTrue(Files.readString(out.resolve("run.log")).contains("checkpoint after task 5 saved"));
    }

    @Test
    void aReadOnlyFileSystemIsRefusedBeforeAnyWork() throws Exception {
        Path m = mount("ro,size=1m");
        Path out = m.resolve("run");
        ClRun.Result r = ClRun.run(TinyRuns.clArgs(tmp, out));
        assertEquals(Cl.BAD_INPUT, r.code(), r.err());
        assertEquals("--out: " + out + ": cannot create files in " + m + " (Read-only file system)", r.err().strip());
    }
}
