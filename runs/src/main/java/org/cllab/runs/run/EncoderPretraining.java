package org.cllab.runs.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Adam;
import org.cllab.core.nn.FrozenEncoder;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.scenarios.data.ImageSet;
import org.cllab.scenarios.data.IdxDirectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pre-trains a small MLP encoder on a whole labelled dataset (Fashion-MNIST for an MNIST stream), the stand-in for
 * the paper's ImageNet-pretrained encoders that cannot be downloaded here. An MLP {@code 784-h1-..-hk-C} with ReLU
 * is trained with Adam (seeded init and order); its hidden layers become a {@link FrozenEncoder}. The encoder file
 * ({@code FILE}) holds sizes and parameters; {@code FILE.json} records the provenance: data files with SHA-256,
 * settings, seed, train and test accuracy, the parameters' SHA-256, wall time and git commit. Same settings and
 * seed give the same parameters (see {@code EncoderPretrainingTest}).
 */
public final class EncoderPretraining {
    /**
     * @param dataDir   IDX directory of the pretraining dataset
     * @param dataset   its name (recorded; a stream of the same dataset refuses this encoder)
     * @param hidden    hidden sizes; the last is the feature dimension
     * @param epochs    passes over the training split
     * @param batchSize minibatch size
     * @param lr        Adam learning rate
     * @param seed      init and order seed
     * @param limit     training samples used (0 = all), for tests
     */
    public record Settings(Path dataDir, String dataset, int[] hidden, int epochs, int batchSize, double lr,
                           long seed, int limit) {
    }

    /** The trained encoder with its measured accuracies. */
    public record Result(FrozenEncoder encoder, double trainAccuracy, double testAccuracy, double seconds) {
    }

    private EncoderPretraining() {
    }

    public static Result train(Settings s) {
        long start = System.nanoTime();
        ImageSet[] data = IdxDirectory.loadTrainTest(s.dataDir());
        ImageSet train = data[0];
        ImageSet test = data[1];
        int n = s.limit() > 0 ? Math.min(s.limit(), train.size()) : train.size();
        int d = train.featureDim();
        int classes = train.numClasses();
        int[] sizes = new int[s.hidden().length + 2];
        sizes[0] = d;
        System.arraycopy(s.hidden(), 0, sizes, 1, s.hidden().length);
        sizes[sizes.length - 1] = classes;
        Mlp mlp = new Mlp(sizes, Activation.RELU);
        mlp.init(Rng.forComponent(s.seed(), "encoder/init"));
        Adam adam = new Adam(mlp.numParams(), s.lr());
        Rng order = Rng.forComponent(s.seed(), "encoder/order");
        float[] x = new float[s.batchSize() * d];
        for (int e = 0; e < s.epochs(); e++) {
            int[] perm = order.permutation(n);
            for (int from = 0; from < n; from += s.batchSize()) {
                int to = Math.min(n, from + s.batchSize());
                int[] y = new int[to - from];
                for (int r = 0; r < y.length; r++) {
                    train.copyImage(perm[from + r], x, r * d);
                    y[r] = train.label(perm[from + r]);
                }
                try (StepScope scope = StepScope.open("pretrain")) {
                    float[] xs = y.length == s.batchSize() ? x : java.util.Arrays.copyOf(x, y.length * d);
                    INDArray xb = Nd4j.create(xs, new long[] {y.length, d}, DataType.FLOAT);
                    SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(mlp.forward(xb), y, null);
                    mlp.backward(r.dLogits());
                    adam.step(mlp.params(), mlp.gradient());
                }
            }
        }
        double trainAcc = accuracy(mlp, train, n);
        double testAcc = accuracy(mlp, test, test.size());
        return new Result(FrozenEncoder.ofClassifier(mlp), trainAcc, testAcc, (System.nanoTime() - start) / 1e9);
    }

    private static double accuracy(Mlp mlp, ImageSet set, int n) {
        int d = set.featureDim();
        long correct = 0;
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            float[] x = new float[(to - from) * d];
            for (int i = from; i < to; i++) {
                set.copyImage(i, x, (i - from) * d);
            }
            try (StepScope scope = StepScope.open("eval")) {
                INDArray out = mlp.output(Nd4j.create(x, new long[] {to - from, d}, DataType.FLOAT));
                long[] pred = Nd4j.argMax(out, 1).data().asLong();
                for (int i = from; i < to; i++) {
                    if (pred[i - from] == set.label(i)) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / n;
    }

    /** Writes {@code out} (encoder) and {@code out.json} (provenance), each atomically. */
    public static void write(Path out, Settings s, Result r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bytes)) {
            r.encoder().save(w);
        }
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("created", Instant.now().toString());
        p.put("tool", "cl pretrain-encoder");
        p.put("dataset", s.dataset());
        p.put("data_dir", s.dataDir().toAbsolutePath().toString());
        ArrayNode files = p.putArray("data_files");
        try (var list = Files.list(s.dataDir())) {
            for (Path f : list.sorted().toList()) {
                if (f.getFileName().toString().contains("-ubyte")) {
                    files.addObject().put("file", f.getFileName().toString()).put("sha256", sha256(f));
                }
            }
        }
        p.put("architecture", "MLP " + join(r.encoder().sizes()) + "-(classes), ReLU, trained as a classifier; "
                + "the encoder is its hidden layers " + join(r.encoder().sizes()) + " with ReLU");
        ArrayNode sizes = p.putArray("encoder_sizes");
        for (int v : r.encoder().sizes()) {
            sizes.add(v);
        }
        p.put("optimizer", "adam");
        p.put("lr", s.lr());
        p.put("epochs", s.epochs());
        p.put("batch_size", s.batchSize());
        p.put("seed", s.seed());
        p.put("train_samples", s.limit());
        p.put("train_accuracy", r.trainAccuracy());
        p.put("test_accuracy", r.testAccuracy());
        p.put("seconds", r.seconds());
        p.put("parameters_sha256", r.encoder().parameterHash());
        p.put("git_commit", Provenance.git(Path.of(System.getProperty("cllab.home", ".")), "rev-parse", "HEAD"));
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        AtomicFiles.write(out, bytes.toByteArray());
        AtomicFiles.write(Path.of(out + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(p));
    }

    /** Reads an encoder file; the provenance {@code FILE.json} must exist next to it. */
    public static FrozenEncoder read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return FrozenEncoder.load(new StateReader(in));
        }
    }

    /** The dataset an encoder was trained on, from its {@code FILE.json}. */
    public static String pretrainingDataset(Path file) throws IOException {
        Path json = Path.of(file + ".json");
        if (!Files.exists(json)) {
            throw new IOException(json + " (the encoder's provenance) not found");
        }
        return Json.MAPPER.readTree(json.toFile()).path("dataset").asText();
    }

    private static String join(int[] v) {
        return String.join("-", java.util.Arrays.stream(v).mapToObj(String::valueOf).toList());
    }

    static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                int k;
                while ((k = in.read(buf)) > 0) {
                    md.update(buf, 0, k);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings used by {@code cl pretrain-encoder} unless overridden. */
    public static List<Integer> defaultHidden() {
        return List.of(256, 128);
    }
}
