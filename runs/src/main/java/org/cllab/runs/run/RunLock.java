package org.cllab.runs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * {@code DIR/.run.lock}: held by the process running in a run directory. The lock is an operating-system file lock
 * (released by the kernel when the holder dies, however it dies) on a file that names the holder (pid, host, start
 * time), so a second process gets a one-line message naming it. A file left by a dead holder is a stale lock: it is
 * taken over and the takeover is logged. On file systems without locks the file's content decides: a holder on this
 * host whose pid is alive holds it. The file stays (emptied) when its holder ends normally.
 */
public final class RunLock implements AutoCloseable {
    /** Name of the lock file in a run directory. */
    public static final String FILE = ".run.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final String takenOver;

    private RunLock(FileChannel channel, FileLock lock, String takenOver) {
        this.channel = channel;
        this.lock = lock;
        this.takenOver = takenOver;
    }

    /**
     * Locks {@code dir} (which must exist).
     *
     * @throws RunDirectoryLockedException if another process holds it, naming that process
     */
    public static RunLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            JsonNode previous = read(ch);
            FileLock lock;
            boolean osLocks = true;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            } catch (IOException e) {
                lock = null; // no locks on this file system (some network file systems)
                osLocks = false;
            }
            if (lock == null && (osLocks || holderAlive(previous))) {
                throw new RunDirectoryLockedException("run directory " + dir + " is in use by " + describe(previous)
                        + " (lock file " + file + ")");
            }
            String takenOver = previous == null ? null : "took over the stale lock of " + describe(previous)
                    + ": that process is gone";
            ObjectNode me = Json.MAPPER.createObjectNode();
            me.put("pid", ProcessHandle.current().pid());
            me.put("host", host());
            me.put("started", Instant.now().toString());
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(me)), 0);
            ch.force(true);
            return new RunLock(ch, lock, takenOver);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The takeover message if a stale lock was taken over, else null. */
    public String takenOver() {
        return takenOver;
    }

    private static JsonNode read(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0 || size > 4096) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        ch.read(b, 0);
        try {
            JsonNode n = Json.MAPPER.readTree(b.array());
            return n != null && n.has("pid") ? n : null;
        } catch (IOException e) {
            return null; // a half-written lock file of a killed process: stale
        }
    }

    private static boolean holderAlive(JsonNode holder) {
        return holder != null && holder.path("host").asText().equals(host())
                && ProcessHandle.of(holder.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String describe(JsonNode holder) {
        if (holder == null) {
            return "another process (it has not written its pid yet)";
        }
        return "pid " + holder.path("pid").asText() + " on host " + holder.path("host").asText() + " (started "
                + holder.path("started").asText() + ")";
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** Empties the file and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } finally {
            if (lock != null) {
                lock.release();
            }
            channel.close();
        }
    }
}
