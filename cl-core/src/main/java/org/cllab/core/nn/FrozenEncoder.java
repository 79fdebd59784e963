package org.cllab.core.nn;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The hidden layers of a trained MLP classifier, used as a frozen feature extractor: {@code x -> act(...act(x W1 +
 * b1)... W_k + b_k)}, the activation applied after the last hidden layer too. Never trained after it is built.
 */
public final class FrozenEncoder {
    private final Mlp layers;

    private FrozenEncoder(Mlp layers) {
        this.layers = layers;
    }

    /**
     * The encoder made of all but the output layer of {@code classifier} (copied: later changes to the classifier
     * do not reach it).
     */
    public static FrozenEncoder ofClassifier(Mlp classifier) {
        int[] sizes = classifier.sizes();
        if (sizes.length < 3) {
            throw new IllegalArgumentException("a classifier without hidden layers has no encoder");
        }
        int[] enc = Arrays.copyOf(sizes, sizes.length - 1);
        Mlp m = new Mlp(enc, classifier.activation());
        m.params().assign(classifier.params().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m.numParams())));
        return new FrozenEncoder(m);
    }

    public int inputDim() {
        return layers.inputSize();
    }

    public int outputDim() {
        return layers.outputSize();
    }

    /** Layer sizes {@code [in, h1, ..., hk]}. */
    public int[] sizes() {
        return layers.sizes();
    }

    /** Features {@code [n, outputDim]} of {@code x} ({@code [n, inputDim]}). */
    public INDArray encode(INDArray x) {
        INDArray z = layers.output(x);
        return switch (layers.activation()) {
            case RELU -> Transforms.relu(z, false);
            case TANH -> Transforms.tanh(z, false);
        };
    }

    /** SHA-256 (hex) of the parameters as little-endian floats: identifies the encoder. */
    public String parameterHash() {
        float[] p = layers.params().dup().data().asFloat();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[4 * p.length];
            for (int i = 0; i < p.length; i++) {
                int b = Float.floatToRawIntBits(p[i]);
                buf[4 * i] = (byte) b;
                buf[4 * i + 1] = (byte) (b >>> 8);
                buf[4 * i + 2] = (byte) (b >>> 16);
                buf[4 * i + 3] = (byte) (b >>> 24);
            }
            return HexFormat.of().formatHex(md.digest(buf));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void save(StateWriter out) throws IOException {
        out.putInts("encoder/sizes", layers.sizes());
        out.putString("encoder/activation", layers.activation().name());
        out.putArray("encoder/params", layers.params());
    }

    /** Reads an encoder written by {@link #save}; throws {@link IOException} when the file is not one. */
    public static FrozenEncoder load(StateReader in) throws IOException {
        if (!in.has("encoder/sizes") || !in.has("encoder/params") || !in.has("encoder/activation")) {
            throw new IOException("not an encoder file (missing encoder/sizes, encoder/activation or encoder/params)");
        }
        Mlp m;
        try {
            m = new Mlp(in.ints("encoder/sizes"), Activation.valueOf(in.getString("encoder/activation")));
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt encoder file: " + e.getMessage());
        }
        INDArray p = in.array("encoder/params");
        if (p.length() != m.numParams()) {
            throw new IOException("encoder file has " + p.length() + " parameters, its sizes need " + m.numParams());
        }
        m.params().assign(p.castTo(DataType.FLOAT).reshape(m.numParams()));
        return new FrozenEncoder(m);
    }

    /** Encodes {@code n} row-major samples in batches; returns {@code [n * outputDim]} row-major. */
    public float[] encodeAll(float[] x, int n) {
        int d = inputDim();
        int o = outputDim();
        float[] out = new float[n * o];
        int bs = 1000;
        for (int from = 0; from < n; from += bs) {
            int to = Math.min(n, from + bs);
            try (StepScope s = StepScope.open("encode")) {
                INDArray xb = Nd4j.create(Arrays.copyOfRange(x, from * d, to * d), new long[] {to - from, d},
                        DataType.FLOAT);
                float[] f = encode(xb).dup('c').data().asFloat();
                System.arraycopy(f, 0, out, from * o, f.length);
            }
        }
        return out;
    }
}
