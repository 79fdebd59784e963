package org.cllab.runs.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.run.Json;

/**
 * {@code DIR/sweep-index.json}: the sweep hash and, per run id (in expansion order), its directory, learner, seed,
 * overrides, status and executor details ({@code info}: device, exit code, SLURM ids, wall seconds, ...). Rewritten
 * atomically (temporary file, rename); details of earlier sessions are kept. Thread-safe.
 *
 * <p>Changes ({@link #update}) are written at most {@link #WRITE_INTERVAL_MS} ms after they happen, by a background
 * thread, so that a sweep of thousands of runs does not rewrite a file of thousands of entries on every state change;
 * {@link #write()} and {@link #close()} write at once.
 */
public final class SweepIndex implements AutoCloseable {
    /** Longest delay between a change and the rewrite of the file. */
    public static final long WRITE_INTERVAL_MS = 500;

    /** Key of the sweep hash in the index. */
    public static final String HASH = "sweep_hash";

    private final SweepLayout layout;
    private final SweepPlan plan;
    private final String executor;
    private final Map<String, RunStatus> status = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> info = new LinkedHashMap<>();
    private final Map<String, String> configHash = new HashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cllab-sweep-index");
        t.setDaemon(true);
        return t;
    });
    private boolean writePending;

    /** A fresh index of {@code plan}; every run starts {@link RunStatus#PENDING}; earlier details are read back. */
    public SweepIndex(SweepLayout layout, SweepPlan plan, String executor) throws IOException {
        this.layout = layout;
        this.plan = plan;
        this.executor = executor;
        JsonNode old = Files.exists(layout.index()) ? Json.MAPPER.readTree(layout.index().toFile()) : null;
        for (SweepRun r : plan.runs()) {
            configHash.put(r.id(), r.config().hash());
            status.put(r.id(), RunStatus.PENDING);
            Map<String, String> m = new LinkedHashMap<>();
            if (old != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = old.path("runs").path(r.id()).path("info").fields();
                     it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), e.getValue().asText());
                }
            }
            info.put(r.id(), m);
        }
    }

    /** The sweep hash stored in an index file, or null when there is none. */
    public static String readHash(Path indexFile) throws IOException {
        if (!Files.exists(indexFile)) {
            return null;
        }
        return Json.MAPPER.readTree(indexFile.toFile()).path(HASH).asText(null);
    }

    /**
     * Sets the status of {@code run}, merges {@code details} into its info and rewrites the file within
     * {@link #WRITE_INTERVAL_MS} ms.
     */
    public synchronized void update(SweepRun run, RunStatus s, Map<String, String> details) {
        status.put(run.id(), s);
        info.get(run.id()).putAll(details);
        if (!writePending) {
            writePending = true;
            writer.schedule(this::flush, WRITE_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void flush() {
        if (writePending) {
            write();
        }
    }

    /** Writes what is pending and stops the background writer. */
    @Override
    public synchronized void close() {
        flush();
        writer.shutdownNow();
    }

    /** Sets statuses without writing (initial classification); call {@link #write()} afterwards. */
    public synchronized void set(SweepRun run, RunStatus s) {
        status.put(run.id(), s);
    }

    public synchronized RunStatus status(String id) {
        return status.get(id);
    }

    /** Rewrites {@code sweep-index.json} atomically, now. */
    public synchronized void write() {
        writePending = false;
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put(HASH, plan.hash());
        n.put("sweep_file", plan.spec().file().toAbsolutePath().toString());
        n.put("executor", executor);
        n.put("runs_total", plan.runs().size());
        ObjectNode counts = n.putObject("counts");
        for (RunStatus s : RunStatus.values()) {
            counts.put(s.key(), status.values().stream().filter(x -> x == s).count());
        }
        ObjectNode runs = n.putObject("runs");
        for (SweepRun r : plan.runs()) {
            ObjectNode e = runs.putObject(r.id());
            e.put("index", r.index());
            e.put("dir", layout.root().relativize(layout.runDir(r.id())).toString());
            e.put("learner", r.learner());
            e.put("seed", r.seed());
            e.put("config_hash", configHash.get(r.id()));
            ObjectNode o = e.putObject("overrides");
            r.overrides().forEach((k, v) -> o.set(k, Json.MAPPER.valueToTree(v)));
            e.put("status", status.get(r.id()).key());
            ObjectNode i = e.putObject("info");
            info.get(r.id()).forEach(i::put);
        }
        try {
            AtomicFiles.write(layout.index(), Json.MAPPER.writeValueAsBytes(n));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
