package org.cllab.runs.sweep;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.Summary;

/**
 * The files of a sweep directory:
 * <pre>
 * DIR/sweep.yaml               resolved copy of the sweep file (base inlined as an absolute path, sweep hash)
 * DIR/sweep-index.json         run id to learner, overrides, seed, status, executor details (rewritten atomically)
 * DIR/runs/ID/config.yaml      the run's resolved config, written before the run starts
 * DIR/runs/ID/...              the run directory of {@code cl run} (provenance, metrics, checkpoints, summary.json)
 * DIR/runs/ID/worker.out|err   standard output and error of the run's worker process
 * DIR/report/                  tables over the finished runs (written at the end of every sweep session)
 * </pre>
 *
 * @param root the sweep directory
 */
public record SweepLayout(Path root) {
    public Path sweepFile() {
        return root.resolve("sweep.yaml");
    }

    public Path index() {
        return root.resolve("sweep-index.json");
    }

    /** Held (file lock) by the sweep process while it runs, so that two sweeps never share a directory. */
    public Path lockFile() {
        return root.resolve(".sweep.lock");
    }

    public Path runsDir() {
        return root.resolve("runs");
    }

    public Path runDir(String id) {
        return runsDir().resolve(id);
    }

    /** The resolved config the worker of run {@code id} is started with. */
    public Path runConfig(String id) {
        return runDir(id).resolve("config.yaml");
    }

    public Path workerOut(String id) {
        return runDir(id).resolve("worker.out");
    }

    public Path workerErr(String id) {
        return runDir(id).resolve("worker.err");
    }

    public Path reportDir() {
        return root.resolve("report");
    }

    /** The one-line reason of a diverged run (from its {@code summary.json}), or null. */
    public String divergedReason(String id) {
        try {
            JsonNode d = Summary.readDiverged(runDir(id));
            return d == null ? null : Summary.failureLine(d);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether run {@code id} last ended interrupted (SIGTERM/SIGINT at a safe point, {@code summary.json} says so). */
    public boolean interrupted(String id) {
        try {
            Path f = runDir(id).resolve(Summary.FILE);
            return Files.exists(f) && Summary.INTERRUPTED.equals(
                    org.cllab.runs.run.Json.MAPPER.readTree(f.toFile()).path("state").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** How far a run got, judged from its directory only. */
    public enum Phase {
        /** Nothing done yet (no directory, or no checkpoint). */
        NEW,
        /** At least one task-boundary checkpoint: a worker resumes after the newest one. */
        PARTIAL,
        /** {@code summary.json} says finished. */
        FINISHED,
        /**
         * {@code summary.json} says diverged (a non-finite loss or parameter): failed for good, not retried, since
         * training is deterministic and would diverge again.
         */
        DIVERGED
    }

    /**
     * Whether {@code summary} is a JSON object whose top-level {@code finished} is {@code true}: what
     * {@link Summary#readFinished} decides, read as a token stream without building the tree (a resume scan of
     * thousands of runs). Missing or unreadable: not finished (it is written atomically, so the latter is not
     * expected).
     */
    static boolean finished(Path summary) {
        if (!Files.isRegularFile(summary)) {
            return false;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(summary.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean finished = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken v = p.nextToken();
                if (name.equals("finished")) {
                    finished = v == JsonToken.VALUE_TRUE;
                }
                p.skipChildren();
            }
            return finished && p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The phase of run {@code id}. */
    public Phase phase(String id) throws IOException {
        Path dir = runDir(id);
        if (!Files.isDirectory(dir)) {
            return Phase.NEW;
        }
        if (finished(dir.resolve(Summary.FILE))) {
            return Phase.FINISHED;
        }
        if (divergedReason(id) != null) {
            return Phase.DIVERGED;
        }
        Path checkpoints = dir.resolve("checkpoints");
        if (Files.isDirectory(checkpoints)) {
            try (var s = Files.list(checkpoints)) {
                if (s.anyMatch(p -> p.getFileName().toString().startsWith("task-"))) {
                    return Phase.PARTIAL;
                }
            }
        }
        return Phase.NEW;
    }
}
