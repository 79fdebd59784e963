package org.cllab.runs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * Task-boundary checkpoints under {@code checkpoints/task-NN/} ({@code NN} = tasks completed; {@code task-00} is the
 * untrained learner), each holding {@code learner.state} and {@code progress.json}. A boundary is assembled in a
 * hidden temporary directory and renamed into place, so a kill leaves complete boundaries only.
 */
public final class FileBoundaryStore implements BoundaryStore {
    private static final Logger LOG = LogManager.getLogger(FileBoundaryStore.class);
    private static final Pattern NAME = Pattern.compile("task-(\\d+)");
    private static final String STATE = "learner.state";
    private static final String PROGRESS = "progress.json";
    /** Key in {@code progress.json}: SHA-256 of {@code learner.state}, checked on restore. */
    static final String STATE_SHA256 = "learner_state_sha256";
    private final Path dir;
    private final int keep;

    /** @param keep how many boundaries to keep (newest first); 0 = all */
    public FileBoundaryStore(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /** Completed boundaries, oldest first. */
    List<Integer> boundaries() throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.exists(p.resolve("progress.json")) && Files.exists(p.resolve("learner.state"))) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    private Path boundary(int tasksDone) {
        return dir.resolve(String.format("task-%02d", tasksDone));
    }

    /**
     * Restores the newest intact boundary. A boundary whose {@code progress.json} does not parse, whose
     * {@code learner.state} does not match the SHA-256 recorded next to it, or does not parse, is corrupt: one line
     * naming the file is logged, the boundary is renamed {@code corrupt-task-NN} (kept for inspection, ignored from
     * then on) and the previous boundary is tried; with none left the run starts over. The learner's state is loaded
     * only from a boundary that passed these checks.
     */
    @Override
    public Optional<ProtocolState> restore(ContinualLearner learner) throws IOException {
        List<Integer> b = boundaries();
        for (int i = b.size() - 1; i >= 0; i--) {
            Path p = boundary(b.get(i));
            Path file = p.resolve(PROGRESS);
            ProtocolState state;
            StateReader reader;
            try {
                JsonNode progress = Json.MAPPER.readTree(file.toFile());
                state = readProgress(progress);
                file = p.resolve(STATE);
                byte[] bytes = Files.readAllBytes(file);
                String expected = progress.path(STATE_SHA256).asText("");
                String actual = HexFormat.of().formatHex(sha256().digest(bytes));
                if (!expected.isEmpty() && !expected.equals(actual)) {
                    throw new IOException("SHA-256 " + actual.substring(0, 12) + "... differs from the "
                            + expected.substring(0, Math.min(12, expected.length())) + "... recorded in " + PROGRESS);
                }
                reader = new StateReader(new ByteArrayInputStream(bytes));
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().replaceAll("\\s+", " ").trim();
                Path moved = dir.resolve("corrupt-" + p.getFileName());
                AtomicFiles.deleteTree(moved);
                AtomicFiles.move(p, moved);
                LOG.warn("{}: corrupt or truncated checkpoint ({}); moved to {}; {}", file, why, moved.getFileName(),
                        i > 0 ? "falling back to the previous boundary " + boundary(b.get(i - 1)).getFileName()
                                : "no intact boundary left: starting over");
                continue;
            }
            learner.loadState(reader);
            return Optional.of(state);
        }
        return Optional.empty();
    }

    @Override
    public void save(ProtocolState state, ContinualLearner learner) throws IOException {
        Files.createDirectories(dir);
        Path target = boundary(state.tasksDone());
        Path tmp = dir.resolve(".partial-" + target.getFileName() + "-" + ProcessHandle.current().pid());
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        MessageDigest sha = sha256();
        try {
            try (OutputStream os = new DigestOutputStream(Files.newOutputStream(tmp.resolve(STATE)), sha);
                 StateWriter w = new StateWriter(os)) {
                learner.saveState(w);
                FiniteState.check(w, state.tasksDone());
            }
            ObjectNode progress = progressJson(state);
            progress.put(STATE_SHA256, HexFormat.of().formatHex(sha.digest()));
            AtomicFiles.write(tmp.resolve(PROGRESS), Json.MAPPER.writeValueAsBytes(progress));
        } catch (WriteFailedException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            throw e;
        } catch (IOException e) {
            AtomicFiles.deleteTree(tmp);
            throw new WriteFailedException(target.resolve(STATE), e);
        }
        AtomicFiles.deleteTree(target);
        AtomicFiles.move(tmp, target);
        prune();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void prune() throws IOException {
        if (keep <= 0) {
            return;
        }
        List<Integer> b = boundaries();
        for (int i = 0; i < b.size() - keep; i++) {
            AtomicFiles.deleteTree(boundary(b.get(i)));
        }
    }

    static ObjectNode progressJson(ProtocolState s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("tasks_done", s.tasksDone());
        ObjectNode rows = n.putObject("rows");
        s.rows().forEach((k, v) -> {
            ArrayNode a = rows.putArray(k);
            for (double[] r : v) {
                ArrayNode ra = a.addArray();
                for (double x : r) {
                    ra.add(x);
                }
            }
        });
        ArrayNode t = n.putArray("task_seconds");
        s.taskSeconds().forEach(t::add);
        return n;
    }

    static ProtocolState readProgress(Path file) throws IOException {
        return readProgress(Json.MAPPER.readTree(file.toFile()));
    }

    private static ProtocolState readProgress(JsonNode n) throws IOException {
        if (n == null || !n.path("rows").isObject() || !n.path("task_seconds").isArray()
                || !n.path("tasks_done").isInt()) {
            throw new IOException("not a progress record (rows, task_seconds, tasks_done)");
        }
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("rows").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<double[]> l = new ArrayList<>();
            for (JsonNode r : e.getValue()) {
                double[] d = new double[r.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = r.get(i).asDouble();
                }
                l.add(d);
            }
            rows.put(e.getKey(), l);
        }
        List<Double> secs = new ArrayList<>();
        n.get("task_seconds").forEach(x -> secs.add(x.asDouble()));
        return new ProtocolState(n.get("tasks_done").asInt(), rows, secs);
    }
}
