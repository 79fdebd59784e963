package org.cllab.runs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.cllab.runs.run.Json;

/**
 * The HTTP side of {@code cl serve}: a JDK {@link HttpServer} with read-only endpoints, all {@code GET}/{@code HEAD}
 * (any other method: 405):
 * <pre>
 * /                    the page (index.html), its script and style under /assets/, ECharts from its WebJar
 * /api/overview        runs, states, progress, sweeps with comparison tables ({@link ResultsScanner#overview})
 * /api/run?dir=REL     one run in full ({@link ResultsScanner#run})
 * /files/REL           a file under DIR as it is (report plots, logs, CSVs)
 * </pre>
 * Every path from a request goes through {@link SafePaths}: whatever resolves outside DIR is a 404. Responses carry
 * a content security policy that allows only this server's own scripts, so text from a results directory cannot run
 * as script in the page.
 */
public final class ResultsServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ResultsServer.class);
    /** ECharts inside its WebJar (org.webjars.npm:echarts), on the class path. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String RES = "org/cllab/runs/serve/";
    private static final Map<String, String> ASSETS = Map.of("/", RES + "index.html",
            "/assets/app.js", RES + "app.js", "/assets/app.css", RES + "app.css", "/assets/echarts.min.js", ECHARTS);
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("png", "image/png"),
            Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"));
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService pool;
    private final SafePaths paths;
    private final ResultsScanner scanner;
    private volatile Future<ObjectNode> warmUp;

    private ResultsServer(HttpServer server, ExecutorService pool, SafePaths paths) {
        this.server = server;
        this.pool = pool;
        this.paths = paths;
        this.scanner = new ResultsScanner(paths);
    }

    /**
     * Starts serving {@code root} on {@code host:port}; logs a warning when {@code host} is not a loopback address.
     *
     * @param port 0 for any free port (see {@link #port()})
     * @throws IOException when the address cannot be bound, or {@code root} does not exist
     */
    public static ResultsServer start(Path root, String host, int port) throws IOException {
        SafePaths paths = new SafePaths(root);
        InetAddress address = InetAddress.getByName(host);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 32);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "cllab-serve");
            t.setDaemon(true);
            return t;
        });
        ResultsServer s = new ResultsServer(server, pool, paths);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        s.warmUp = pool.submit(s.scanner::overview);
        if (!address.isLoopbackAddress()) {
            LOG.warn("serving on {} ({}), not on the loopback address: anyone who can reach this machine on port {} "
                    + "can read {}", host, address.getHostAddress(), s.port(), paths.root());
        }
        return s;
    }

    /**
     * The overview; the first request that comes while the warm-up (started with the server: it loads the classes of
     * the scanner and the report code and fills the comparison cache) is still reading waits for its result instead
     * of reading the directory a second time.
     */
    private JsonNode overview() throws IOException {
        Future<ObjectNode> w = warmUp;
        warmUp = null;
        if (w != null && !w.isDone()) {
            try {
                return w.get();
            } catch (ExecutionException e) {
                LOG.debug("serve: warm-up: {}", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return scanner.overview();
    }

    /**
     * Waits until the warm-up read of the directory has ended (so that the first page is served from loaded classes
     * and a filled comparison cache); a failed warm-up is only logged: the requests will report the error.
     */
    public void awaitWarmUp() throws InterruptedException {
        Future<ObjectNode> w = warmUp;
        if (w != null) {
            try {
                w.get();
            } catch (ExecutionException e) {
                LOG.debug("serve: warm-up: {}", e.getCause().toString());
            }
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address actually bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", bytes("read-only: GET and HEAD only\n"), false);
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path == null) {
                notFound(ex, head);
                return;
            }
            String asset = ASSETS.get(path);
            if (asset != null) {
                try (InputStream in = ResultsServer.class.getClassLoader().getResourceAsStream(asset)) {
                    if (in == null) {
                        notFound(ex, head);
                        return;
                    }
                    send(ex, 200, type(asset), in.readAllBytes(), head);
                }
            } else if (path.equals("/api/overview")) {
                json(ex, overview(), head);
            } else if (path.equals("/api/run")) {
                String dir = query(ex, "dir");
                Optional<Path> p = dir == null ? Optional.empty() : paths.resolve(dir);
                Optional<? extends JsonNode> run = p.isPresent() && Files.isDirectory(p.get())
                        ? scanner.run(p.get()) : Optional.empty();
                if (run.isEmpty()) {
                    notFound(ex, head);
                } else {
                    json(ex, run.get(), head);
                }
            } else if (path.startsWith("/files/")) {
                Optional<Path> p = paths.resolve(path.substring("/files/".length()));
                if (p.isEmpty() || !Files.isRegularFile(p.get())) {
                    notFound(ex, head);
                } else {
                    send(ex, 200, type(p.get().getFileName().toString()), Files.readAllBytes(p.get()), head);
                }
            } else {
                notFound(ex, head);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("serve: {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            try {
                send(ex, 500, "text/plain; charset=utf-8", bytes("error: " + e.getMessage() + "\n"), false);
            } catch (IOException | RuntimeException ignored) {
                // headers already sent or client gone
            }
        }
    }

    /** The decoded value of query parameter {@code name}, or null. */
    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "text/plain; charset=utf-8");
    }

    private static void json(HttpExchange ex, JsonNode n, boolean head) throws IOException {
        send(ex, 200, "application/json; charset=utf-8", Json.MAPPER.writeValueAsBytes(n), head);
    }

    private static void notFound(HttpExchange ex, boolean head) throws IOException {
        send(ex, 404, "text/plain; charset=utf-8", bytes("not found\n"), head);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body, boolean head) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", CSP);
        if (head) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
