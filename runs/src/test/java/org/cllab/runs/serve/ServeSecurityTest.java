package org.cllab.runs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cllab.runs.cli.ServeCommandAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cl serve} serves only what is under DIR, writes nothing, and listens on the loopback address unless told
 * otherwise. Requests go over a raw socket so that the request line reaches the server exactly as written (no client
 * normalises {@code ..} away).
 */
class ServeSecurityTest {
    @TempDir
    Path tmp;
    private Path root;
    private ResultsServer server;

    @BeforeEach
    void start() throws IOException {
        root = tmp.resolve("results");
        Path run = root.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "run:\n  seed: 0\nlearner:\n  type: finetune\n");
        Files.writeString(run.resolve("inside.txt"), "inside");
        Files.writeString(root.resolve(".sweep.lock"), "");
        Files.writeString(tmp.resolve("outside.txt"), "SECRET outside");
        Path outsideRun = tmp.resolve("outside-run");
        Files.createDirectories(outsideRun);
        Files.writeString(outsideRun.resolve("config.yaml"), "run:\n  seed: 9\n");
        Files.writeString(outsideRun.resolve("secret.txt"), "SECRET in a linked directory");
        Files.createSymbolicLink(root.resolve("link.txt"), tmp.resolve("outside.txt"));
        Files.createSymbolicLink(root.resolve("linkdir"), outsideRun);
        Files.createSymbolicLink(run.resolve("inner-link.txt"), run.resolve("inside.txt"));
        server = ResultsServer.start(root, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void filesInsideAreServed() throws IOException {
        assertEquals("200 inside", get("/files/run/inside.txt"));
        assertEquals("200 inside", get("/files/run/inner-link.txt"), "a link that stays inside DIR is fine");
        assertTrue(get("/api/run?dir=run").startsWith("200 {"));
        assertTrue(get("/").startsWith("200 <!doctype html>"));
        assertTrue(get("/assets/echarts.min.js").startsWith("200 "), "ECharts from the WebJar");
    }

    @Test
    void traversalAbsolutePathsAndLinksOutOfDirAre404() throws IOException {
        for (String path : List.of("/files/../outside.txt", "/files/run/../../outside.txt",
                "/files/%2e%2e/outside.txt", "/files/%2E%2E%2Foutside.txt", "/files/run/%2e%2e/%2e%2e/outside.txt",
                "/files/..%5coutside.txt", "/files//etc/passwd", "/files/%2Fetc%2Fpasswd", "/files/" + tmp
                        .resolve("outside.txt"), "/files/link.txt", "/files/linkdir/secret.txt",
                "/files/.sweep.lock", "/files/run/%00inside.txt", "/files/%252e%252e/outside.txt",
                "/api/run?dir=..", "/api/run?dir=%2e%2e%2Foutside-run", "/api/run?dir=" + tmp.resolve("outside-run"),
                "/api/run?dir=linkdir", "/api/run?dir=run%2F..%2F..%2Foutside-run", "/assets/../../outside.txt",
                "/../outside.txt", "/%2e%2e/outside.txt")) {
            String answer = get(path);
            assertTrue(answer.startsWith("404 "), path + " -> " + answer);
            assertFalse(answer.contains("SECRET"), path);
        }
    }

    @Test
    void theOverviewDoesNotFollowLinksOutOfDir() throws IOException {
        String overview = get("/api/overview");
        assertTrue(overview.startsWith("200 ") && overview.contains("\"dir\" : \"run\""), overview);
        assertFalse(overview.contains("linkdir") || overview.contains("outside"), overview);
    }

    @Test
    void noEndpointWrites() throws IOException {
        List<Path> before = listing();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/", "/api/overview", "/api/run?dir=run", "/files/run/inside.txt",
                    "/files/run/new.txt")) {
                assertTrue(request(method, path).startsWith("405 "), method + " " + path);
            }
        }
        assertEquals(before, listing());
        assertEquals("inside", Files.readString(root.resolve("run/inside.txt")));
    }

    @Test
    void defaultBindIsLoopback() throws IOException {
        String host = ServeCommandAccess.defaultHost(root);
        assertEquals("127.0.0.1", host);
        try (ResultsServer s = ResultsServer.start(root, host, 0)) {
            assertTrue(s.address().getAddress().isLoopbackAddress(), s.address().toString());
            assertEquals(InetAddress.getByName("127.0.0.1"), s.address().getAddress());
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.sorted().toList();
        }
    }

    private String get(String path) throws IOException {
        return request("GET", path);
    }

    /** "STATUS BODY" of a request sent as written. */
    private String request(String method, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            String r = b.toString(StandardCharsets.UTF_8);
            String status = r.substring(r.indexOf(' ') + 1, r.indexOf(' ') + 4);
            int body = r.indexOf("\r\n\r\n");
            return status + " " + (body < 0 ? "" : r.substring(body + 4));
        }
    }
}
