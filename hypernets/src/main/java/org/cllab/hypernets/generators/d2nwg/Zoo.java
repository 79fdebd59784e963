package org.cllab.hypernets.generators.d2nwg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cllab.core.nn.FrozenEncoder;
import org.cllab.core.spi.ZooModule.ZooProblem;
import org.cllab.core.state.StateReader;

/**
 * A D2NWG model zoo on disk (format {@value #FORMAT}, documented in {@code docs/d2nwg.md}):
 * {@code zoo.json} (settings, encoder hash, target shape, task list), and per task {@code task-NNNN.bin} (the kept
 * checkpoints' weight vectors) and {@code task-NNNN.json} (task descriptor, per-checkpoint seed, step, validation and
 * test accuracy, wall time). A task's JSON is written last, so a task is complete exactly when its JSON exists;
 * {@link #build} skips complete tasks, which makes it resumable.
 */
public final class Zoo {
    public static final String FORMAT = "cllab-d2nwg-zoo/1";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAGIC = 0x44324E57475A4F4FL; // "D2NWGZOO"

    /** One kept checkpoint. */
    public record Entry(int task, int seed, int step, double valAccuracy, double testAccuracy, double[] weights) {
    }

    /** A task of the zoo with its entries. */
    public record ZooTask(ZooData.TaskSpec spec, boolean heldOut, List<Entry> entries, double seconds) {
        public double meanTestAccuracy() {
            return entries.stream().mapToDouble(Entry::testAccuracy).average().orElse(Double.NaN);
        }
    }

    /** A zoo read from disk. */
    public record Contents(JsonNode header, int featureDim, int classes, List<ZooTask> tasks) {
        public int weightsPerVector() {
            return Head.size(classes, featureDim);
        }
    }

    private Zoo() {
    }

    static FrozenEncoder encoder(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new org.cllab.core.spi.SettingProblem("zoo.encoder", file + " not found (create it with "
                    + "cl pretrain-encoder --out " + file + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return FrozenEncoder.load(new StateReader(in));
        }
    }

    /** {@code s}'s identity as it reads back from {@code zoo.json}. */
    static JsonNode identityNode(ZooSettings s) {
        try {
            return JSON.readTree(JSON.writeValueAsString(s.identity()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String taskName(int t) {
        return String.format("task-%04d", t);
    }

    /** Builds (or resumes) the zoo of {@code s} into {@code out}. */
    public static void build(ZooSettings s, Path out, PrintStream progress) throws IOException {
        FrozenEncoder enc = encoder(s.encoder());
        List<ZooData.TaskSpec> specs = ZooData.drawTasks(s.seed(), s.tasks(), s.ways(), s.rotations());
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT);
        header.put("target", "head");
        header.set("settings", JSON.valueToTree(s.identity()));
        ObjectNode e = header.putObject("encoder");
        e.put("file", s.encoder().toString());
        e.put("parameter_sha256", enc.parameterHash());
        header.put("feature_dim", enc.outputDim());
        header.put("classes", s.ways());
        header.put("weights_per_vector", Head.size(s.ways(), enc.outputDim()));
        ArrayNode tl = header.putArray("tasks");
        for (ZooData.TaskSpec t : specs) {
            ObjectNode o = tl.addObject();
            o.put("index", t.index());
            o.set("classes", JSON.valueToTree(t.classes()));
            o.put("rotation", t.rotation());
            o.put("held_out", t.index() >= s.tasks() - s.heldOut());
        }
        header = (ObjectNode) JSON.readTree(JSON.writeValueAsString(header)); // numbers as they read back
        Files.createDirectories(out);
        Path hp = out.resolve("zoo.json");
        if (Files.exists(hp)) {
            JsonNode old = readJson(hp);
            for (String k : new String[] {"format", "target", "settings", "encoder", "tasks"}) {
                if (!header.path(k).equals(old.path(k))) {
                    String what = k.equals("encoder") ? "another encoder" : "other " + k;
                    throw new ZooProblem(hp, "this zoo was built with " + what + " than the config asks: use "
                            + "another --out directory");
                }
            }
        } else {
            write(hp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header));
        }
        ZooData data = new ZooData(s.fashionDir(), enc);
        int dim = enc.outputDim();
        long start = System.nanoTime();
        int built = 0;
        int skipped = 0;
        for (ZooData.TaskSpec spec : specs) {
            Path jp = out.resolve(taskName(spec.index()) + ".json");
            if (Files.exists(jp)) {
                readTask(out, spec.index(), Head.size(s.ways(), dim)); // validates a kept task
                skipped++;
                continue;
            }
            long t0 = System.nanoTime();
            ZooData.TaskSplits sp = data.splits(spec, s.seed(), s.trainPerClass(), s.valPerClass(), s.testPerClass());
            List<Entry> entries = new ArrayList<>();
            for (int seed = 0; seed < s.seeds(); seed++) {
                SplittableRandom r = new SplittableRandom(s.seed() * 7919 + spec.index() * 131L + seed);
                Head.Trainer tr = new Head.Trainer(Head.init(s.ways(), dim, r), s.ways(), dim, sp.train().x(),
                        sp.train().y(), s.batch(), s.lr());
                for (int step = 1; step <= s.steps(); step++) {
                    tr.step(r);
                    if (step > s.steps() - s.checkpoints() * s.every() && (s.steps() - step) % s.every() == 0) {
                        double[] w = tr.weights().clone();
                        entries.add(new Entry(spec.index(), seed, step,
                                Head.accuracy(w, s.ways(), dim, sp.val().x(), sp.val().y()),
                                Head.accuracy(w, s.ways(), dim, sp.test().x(), sp.test().y()), w));
                    }
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            writeTask(out, spec, spec.index() >= s.tasks() - s.heldOut(), entries, sec);
            built++;
            double el = (System.nanoTime() - start) / 1e9;
            int left = s.tasks() - built - skipped;
            progress.printf("zoo %s: task %d/%d (classes %s, rotation %d): %d checkpoints, mean test accuracy %.3f, "
                    + "%.1f s; elapsed %.0f s, about %.0f s left%n", out, built + skipped, s.tasks(),
                    java.util.Arrays.toString(spec.classes()), spec.rotation(), entries.size(),
                    entries.stream().mapToDouble(Entry::testAccuracy).average().orElse(0), sec, el,
                    el / built * left);
        }
        progress.printf("zoo %s: complete, %d tasks (%d built now, %d kept), %.1f s%n", out, s.tasks(), built, skipped,
                (System.nanoTime() - start) / 1e9);
    }

    static void write(Path p, byte[] bytes) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new ZooProblem(p, "not readable JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    static void writeTask(Path dir, ZooData.TaskSpec spec, boolean heldOut, List<Entry> entries, double sec)
            throws IOException {
        int size = entries.get(0).weights().length;
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bo)) {
            d.writeLong(MAGIC);
            d.writeInt(entries.size());
            d.writeInt(size);
            for (Entry e : entries) {
                for (double v : e.weights()) {
                    d.writeDouble(v);
                }
            }
        }
        write(dir.resolve(taskName(spec.index()) + ".bin"), bo.toByteArray());
        ObjectNode o = JSON.createObjectNode();
        o.put("task", spec.index());
        o.set("classes", JSON.valueToTree(spec.classes()));
        o.put("rotation", spec.rotation());
        o.put("held_out", heldOut);
        o.put("seconds", sec);
        ArrayNode a = o.putArray("entries");
        for (Entry e : entries) {
            ObjectNode x = a.addObject();
            x.put("seed", e.seed());
            x.put("step", e.step());
            x.put("val_accuracy", e.valAccuracy());
            x.put("test_accuracy", e.testAccuracy());
        }
        write(dir.resolve(taskName(spec.index()) + ".json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(o));
    }

    static ZooTask readTask(Path dir, int t, int size) throws IOException {
        Path jp = dir.resolve(taskName(t) + ".json");
        Path bp = dir.resolve(taskName(t) + ".bin");
        if (!Files.exists(jp)) {
            throw new ZooProblem(jp, "missing: the zoo is incomplete (resume it with cl zoo build)");
        }
        JsonNode o = readJson(jp);
        if (!Files.exists(bp)) {
            throw new ZooProblem(bp, "missing although " + jp.getFileName() + " exists: the zoo is corrupt");
        }
        JsonNode es = o.path("entries");
        if (!es.isArray() || es.isEmpty() || o.path("task").asInt(-1) != t) {
            throw new ZooProblem(jp, "no entries or wrong task number: the zoo is corrupt");
        }
        long expect = 16 + (long) es.size() * size * 8;
        if (Files.size(bp) != expect) {
            throw new ZooProblem(bp, Files.size(bp) + " bytes, expected " + expect + " (" + es.size() + " vectors of "
                    + size + " weights): corrupt or from another target");
        }
        List<Entry> entries = new ArrayList<>();
        try (DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(bp)))) {
            if (d.readLong() != MAGIC || d.readInt() != es.size() || d.readInt() != size) {
                throw new ZooProblem(bp, "bad header: not a D2NWG zoo file, or not this zoo's");
            }
            for (JsonNode e : es) {
                double[] w = new double[size];
                for (int i = 0; i < size; i++) {
                    w[i] = d.readDouble();
                    if (!Double.isFinite(w[i])) {
                        throw new ZooProblem(bp, "non-finite weight: corrupt");
                    }
                }
                entries.add(new Entry(t, e.path("seed").asInt(), e.path("step").asInt(),
                        e.path("val_accuracy").asDouble(), e.path("test_accuracy").asDouble(), w));
            }
        }
        int[] classes = JSON.convertValue(o.path("classes"), int[].class);
        return new ZooTask(new ZooData.TaskSpec(t, classes, o.path("rotation").asInt()),
                o.path("held_out").asBoolean(), entries, o.path("seconds").asDouble());
    }

    /** Reads and checks a complete zoo. */
    public static Contents read(Path dir) throws IOException {
        Path hp = dir.resolve("zoo.json");
        if (!Files.exists(hp)) {
            throw new ZooProblem(hp, "missing: not a zoo directory (build one with cl zoo build)");
        }
        JsonNode h = readJson(hp);
        if (!FORMAT.equals(h.path("format").asText())) {
            throw new ZooProblem(hp, "format '" + h.path("format").asText() + "', expected " + FORMAT);
        }
        int dim = h.path("feature_dim").asInt();
        int classes = h.path("classes").asInt();
        if (dim <= 0 || classes <= 0 || h.path("weights_per_vector").asInt() != Head.size(classes, dim)) {
            throw new ZooProblem(hp, "inconsistent target shape");
        }
        List<ZooTask> tasks = new ArrayList<>();
        for (JsonNode t : h.path("tasks")) {
            tasks.add(readTask(dir, t.path("index").asInt(), Head.size(classes, dim)));
        }
        return new Contents(h, dim, classes, tasks);
    }
}
