package org.cllab.runs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
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

    @Override
    public Optional<ProtocolState> restore(ContinualLearner learner) throws IOException {
        List<Integer> b = boundaries();
        if (b.isEmpty()) {
            return Optional.empty();
        }
        Path p = boundary(b.get(b.size() - 1));
        ProtocolState state = readProgress(p.resolve("progress.json"));
        try (InputStream in = Files.newInputStream(p.resolve("learner.state"))) {
            learner.loadState(new StateReader(in));
        }
        return Optional.of(state);
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
        JsonNode n = Json.MAPPER.readTree(file.toFile());
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
