package org.cllab.runs.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.Summary;
import org.cllab.runs.sweep.WorkerCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4 of issue 21: runs executed one after the other in one reused worker JVM ({@code cl worker}) are
 * byte-identical to the same runs in fresh JVMs ({@code cl run}): summary evaluations, metrics, accuracy matrices and
 * every checkpoint file (learner state bytes; progress without its task timings). Three learner types (finetune, EWC, HNET); in the reused JVM each of them follows runs of
 * other learners, and the first run is a DKVB run on another scenario (the Gaussian toy), so leaked state of any
 * kind (data cache, ND4J data types or workspaces, log appenders, system properties) would show up.
 */
@Tag("slow")
class ReusedJvmIdentityTest {
    @TempDir
    Path tmp;

    private static final String TINY = """
            run: {progress: never, seed: 3}
            scenario: {type: split, dataset: mnist, tasks: 3, classes_per_task: 2, train_limit: 150,
                       mode: task-incremental}
            evaluation: {modes: [task-incremental]}
            """;

    private static Map<String, String> configs() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("finetune", TINY + "learner: {type: finetune, hidden: [16], epochs: 2, batch_size: 32}\n");
        c.put("ewc", TINY + "learner: {type: ewc, hidden: [16], epochs: 2, batch_size: 32, "
                + "ewc: {lambda: 100, fisher_samples: 100}}\n");
        c.put("hnet", TINY + "learner: {type: hnet, hidden: [16], batch_size: 32, "
                + "hnet: {iterations: 30, hidden: [16], chunk_dim: 300}}\n");
        return c;
    }

    @Test
    void runsInAReusedJvmAreByteIdenticalToFreshJvms() throws Exception {
        Map<String, Path> cfg = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : configs().entrySet()) {
            cfg.put(e.getKey(), Files.writeString(tmp.resolve(e.getKey() + ".yaml"), e.getValue()));
        }
        Path toy = RepoRoot.path().resolve("runs/configs/dkvb-toy.yaml");
        WorkerCommand w = WorkerCommand.current();

        // fresh JVMs: one cl run per config
        List<Process> fresh = new ArrayList<>();
        for (Map.Entry<String, Path> e : cfg.entrySet()) {
            fresh.add(start(w.command(e.getValue(), tmp.resolve("fresh").resolve(e.getKey())),
                    tmp.resolve("fresh-" + e.getKey() + ".log")));
        }
        // one reused JVM: a DKVB toy run with fewer steps first, then the three in reverse order
        Path toyCfg = Files.writeString(tmp.resolve("toy.yaml"), Files.readString(toy).replace("name: dkvb-toy",
                "name: dkvb-toy\n  progress: never").replace("steps_per_batch: 1000", "steps_per_batch: 20")
                .replace("init_samples: 20000", "init_samples: 1000").replace("init_epochs: 5", "init_epochs: 1"));
        StringBuilder lines = new StringBuilder(RunWorker.line(tmp.resolve("reused/toy"), toyCfg)).append('\n');
        List<String> order = new ArrayList<>(cfg.keySet());
        java.util.Collections.reverse(order);
        for (String name : order) {
            lines.append(RunWorker.line(tmp.resolve("reused").resolve(name), cfg.get(name))).append('\n');
        }
        Path input = Files.writeString(tmp.resolve("worker-input.txt"), lines);
        ProcessBuilder pb = new ProcessBuilder(w.loopCommand(0)).redirectInput(input.toFile())
                .redirectOutput(tmp.resolve("worker.protocol").toFile())
                .redirectError(tmp.resolve("worker.stderr").toFile());
        pb.environment().putAll(WorkerCommand.environment(null, 1));
        Process reused = pb.start();

        List<String> names = new ArrayList<>(cfg.keySet());
        for (int i = 0; i < fresh.size(); i++) {
            Process p = fresh.get(i);
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "fresh run ended");
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("fresh-" + names.get(i) + ".log")));
        }
        assertTrue(reused.waitFor(600, TimeUnit.SECONDS), "worker ended");
        String protocol = Files.readString(tmp.resolve("worker.protocol"));
        assertEquals(0, reused.exitValue(), protocol + Files.readString(tmp.resolve("worker.stderr")));
        assertEquals(4, count(protocol, "cl-worker: end 0 "), protocol);

        Set<String> pids = new java.util.HashSet<>();
        for (String name : cfg.keySet()) {
            Path a = tmp.resolve("fresh").resolve(name);
            Path b = tmp.resolve("reused").resolve(name);
            JsonNode sa = Summary.readFinished(a);
            JsonNode sb = Summary.readFinished(b);
            assertTrue(sa != null && sb != null, name + " finished in both");
            assertEquals(sa.path("evaluations"), sb.path("evaluations"), name + ": evaluations");
            assertNotEquals(0, sa.path("evaluations").size(), name);
            Map<String, byte[]> fa = files(a);
            Map<String, byte[]> fb = files(b);
            assertEquals(fa.keySet(), fb.keySet(), name + ": the same files");
            assertTrue(fa.keySet().stream().anyMatch(k -> k.startsWith("checkpoints/task-03/")), name + " " + fa.keySet());
            for (String k : fa.keySet()) {
                assertArrayEquals(fa.get(k), fb.get(k), name + ": " + k + " differs between a fresh and a reused JVM");
            }
            Matcher m = Pattern.compile("cl-worker: run (\\d+) of JVM (\\d+)")
                    .matcher(Files.readString(b.resolve("worker.err")));
            assertTrue(m.find(), name + " worker.err names its JVM");
            pids.add(m.group(2));
            assertEquals(Long.parseLong(m.group(2)), reused.pid());
            JsonNode session = Json.MAPPER.readTree(b.resolve("provenance.json").toFile()).path("sessions").get(0);
            assertEquals(reused.pid(), session.path("pid").asLong(), "provenance names the reused JVM");
            assertTrue(Files.readString(b.resolve("run.log")).contains("run " + b), name + ": its own run.log");
            assertTrue(!Files.readString(b.resolve("run.log")).contains("learner dkvb"), name + ": no other run's log");
        }
        assertEquals(1, pids.size(), "all in one JVM: " + pids);
        assertTrue(Summary.readFinished(tmp.resolve("reused/toy")) != null, "the toy run finished too");
    }

    private static Process start(List<String> cmd, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(WorkerCommand.environment(null, 1));
        return pb.start();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The files a run produces that depend on its computation only: evaluations, metrics, matrices, checkpoints
     * (not provenance, logs, timings or the worker's output, which name times and processes).
     */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (rel.endsWith("progress.json")) { // a checkpoint's progress: all but the task timings
                    var n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(p.toFile());
                    n.remove("task_seconds");
                    m.put(rel, Json.MAPPER.writeValueAsBytes(n));
                } else if (rel.startsWith("checkpoints/") || rel.equals("metrics.csv")
                        || rel.startsWith("accuracy_matrix_") || rel.equals("config.yaml")) {
                    m.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return m;
    }
}
