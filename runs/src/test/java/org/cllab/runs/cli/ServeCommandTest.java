package org.cllab.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code cl serve} is one line naming what is wrong and exit code 2; nothing is served. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        ClRun.Result r = ClRun.run("serve", tmp.resolve("missing").toString());
        assertEquals(2, r.code());
        assertEquals("serve: " + tmp.resolve("missing") + ": is not a directory", r.err().strip());
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertEquals(2, ClRun.run("serve", file.toString()).code());
        r = ClRun.run("serve", tmp.toString(), "--port", "70000");
        assertEquals(2, r.code());
        assertEquals("serve: --port: 70000 is not a port number (0..65535)", r.err().strip());
        r = ClRun.run("serve", tmp.toString(), "--port", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--port"), r.err());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            r = ClRun.run("serve", tmp.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(2, r.code());
            assertTrue(r.err().strip().startsWith("serve: --port: cannot listen on 127.0.0.1:"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
