package org.cllab.core.learners.dkvb;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.DomainIncrementalPredictor;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.StreamBatch;
import org.cllab.core.api.StreamingLearner;
import org.cllab.core.rng.Rng;
import org.cllab.core.spi.RunNotes;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discrete key-value bottleneck as a boundary-free learner (Träuble et al., ICML 2023). It implements only
 * {@link StreamingLearner}: the protocol can reach it through {@link #observe(StreamBatch)} alone, whose argument
 * carries features and labels, no task id, and whose batches all have the same size (see
 * {@code org.cllab.core.eval.SampleStream}), so no boundary can be inferred from them.
 *
 * <p>Training on a batch: (1) on the first batch ever, the keys are initialised by EMA k-means ({@link EmaKMeans})
 * on {@code initSamples} unlabeled samples from the {@link KeyInitSource} (another dataset) and frozen; (2) the
 * batch's key indices ({@code [n][C][topK]} ints) are computed once and cached; (3) each fetched pair's usage count
 * is incremented; (4) {@code stepsPerBatch} SGD steps on the cached indices: fetch values, decode, label-smoothed
 * cross-entropy, gradient only on the fetched values (and the linear decoder), gradient-norm clipping, update. The
 * gradient is sparse: a step touches at most {@code n * C * topK} of the {@code C * M} values.
 *
 * <p>Evaluation: pairs never selected during training (usage count 0) are excluded: every head fetches its nearest
 * <em>used</em> keys; a codebook without any used key does not contribute to the mean; a sample none of whose
 * codebooks contributes gets the answer -1 (no class: counted wrong). Before any training every answer is -1.
 *
 * <p>Decoder: {@link DkvbSpec.Decoder#MEAN} (the paper's parameter-free decoder: logits = mean of the fetched
 * values, value dim = number of outputs) or {@link DkvbSpec.Decoder#LINEAR} (our reconstruction: logits =
 * {@code W mean + b}, Xavier-uniform {@code W}, zero {@code b}, trained with the values). Values start at 0.
 */
public final class DkvbLearner implements StreamingLearner, ClassIncrementalPredictor, DomainIncrementalPredictor,
        RunNotes {
    private final DkvbSpec spec;
    private final Mode trainingMode;
    private final int outputs;
    private final int valueDim;
    private final KeyInitSource initSource;
    private final long seed;
    private final KeyValueBottleneck bottleneck;
    private final float[] values; // [C][M][V]
    private final int[] counts; // [C][M] training selections
    private final float[] decoderW; // [outputs][V] (linear decoder)
    private final float[] decoderB; // [outputs]
    private boolean keysReady;
    private String initReport = "keys not initialised";
    // sparse-gradient scratch
    private final float[] grad;
    private final boolean[] touched;
    private int[] touchedList = new int[1024];

    public DkvbLearner(DkvbSpec spec, LearnerContext ctx, KeyInitSource initSource) {
        this.spec = spec;
        this.trainingMode = ctx.trainingMode();
        this.outputs = switch (trainingMode) {
            case CLASS_INCREMENTAL -> ctx.scenario().numClasses();
            case DOMAIN_INCREMENTAL -> ctx.scenario().localClasses();
            case TASK_INCREMENTAL -> throw new IllegalArgumentException("the key-value bottleneck learns without "
                    + "task ids: train it class-incremental or domain-incremental");
        };
        this.valueDim = spec.valueDim() == 0 ? outputs : spec.valueDim();
        if (spec.decoder() == DkvbSpec.Decoder.MEAN && valueDim != outputs) {
            throw new IllegalArgumentException("the mean decoder needs value dim = " + outputs + " outputs, got "
                    + valueDim);
        }
        this.initSource = initSource;
        this.seed = ctx.seed();
        int featureDim = ctx.scenario().featureDim();
        this.bottleneck = new KeyValueBottleneck(featureDim, spec.codebooks(), spec.pairs(), spec.keyDim(),
                spec.split(), Rng.forComponent(seed, "dkvb/projections"));
        int cm = spec.codebooks() * spec.pairs();
        this.values = new float[cm * valueDim];
        this.counts = new int[cm];
        this.grad = new float[cm * valueDim];
        this.touched = new boolean[cm];
        if (spec.decoder() == DkvbSpec.Decoder.LINEAR) {
            decoderW = new float[outputs * valueDim];
            decoderB = new float[outputs];
            Rng r = Rng.forComponent(seed, "dkvb/decoder");
            double bound = Math.sqrt(6.0 / (outputs + valueDim));
            for (int i = 0; i < decoderW.length; i++) {
                decoderW[i] = (float) ((2 * r.nextDouble() - 1) * bound);
            }
        } else {
            decoderW = null;
            decoderB = null;
        }
    }

    public DkvbSpec spec() {
        return spec;
    }

    /** The frozen part (for tests and benchmarks). */
    public KeyValueBottleneck bottleneck() {
        return bottleneck;
    }

    /** Usage counts {@code [C][M]} (a copy). */
    public int[] usageCounts() {
        return counts.clone();
    }

    /** Values {@code [C][M][V]} (a copy). */
    public float[] values() {
        return values.clone();
    }

    @Override
    public String startNote() {
        return "dkvb: " + sizeReport();
    }

    @Override
    public String endNote() {
        return "dkvb: " + initReport();
    }

    /** Sizes of the learner's arrays: values, keys, usage counts and the sparse-gradient scratch, in bytes. */
    public String sizeReport() {
        long v = 4L * values.length;
        long k = 4L * bottleneck.keys().length;
        long c = 4L * counts.length;
        long scratch = 4L * grad.length + touched.length;
        return String.format("%d codebooks x %d pairs, key dim %d, value dim %d: values %.1f MB, keys %.1f MB, "
                        + "usage counts %.1f MB, gradient scratch %.1f MB", spec.codebooks(), spec.pairs(),
                spec.keyDim(), valueDim, v / 1e6, k / 1e6, c / 1e6, scratch / 1e6);
    }

    /** Key-initialisation summary (source, samples, epochs, re-seeded keys), for the run log. */
    public String initReport() {
        return initReport;
    }

    @Override
    public int streamBatchSize() {
        return spec.batchSize();
    }

    @Override
    public Set<Mode> evaluationModes() {
        return EnumSet.of(trainingMode);
    }

    /** Initialises the keys by EMA k-means on the init source (once; later calls do nothing). */
    public void initialiseKeys() {
        if (keysReady) {
            return;
        }
        int d = bottleneck.featureDim();
        int n = spec.initSamples();
        float[] data = initSource.draw(n, d, Rng.forComponent(seed, "dkvb/key-init-data"));
        Rng rng = Rng.forComponent(seed, "dkvb/key-init");
        EmaKMeans km = new EmaKMeans(spec.codebooks(), spec.pairs(), spec.keyDim(), spec.initDecay(),
                spec.initEps(), spec.deadFraction(), bottleneck.keys());
        int bs = Math.min(spec.initBatchSize(), n);
        boolean seeded = false;
        long reseeded = 0;
        long reseededLastEpoch = 0;
        for (int e = 0; e < spec.initEpochs(); e++) {
            int[] order = rng.permutation(n);
            reseededLastEpoch = 0;
            for (int from = 0; from + bs <= n; from += bs) {
                float[] b = new float[bs * d];
                for (int r = 0; r < bs; r++) {
                    System.arraycopy(data, order[from + r] * d, b, r * d, d);
                }
                INDArray x = Nd4j.create(b, new long[] {bs, d}, DataType.FLOAT);
                float[] heads = bottleneck.headsArray(x);
                if (!seeded) {
                    km.seed(heads, bs, rng);
                    bottleneck.keysChanged();
                    seeded = true;
                }
                int[] nearest = bottleneck.nearest(x, 1, null);
                for (int q = 0; q < nearest.length; q++) {
                    nearest[q] %= spec.pairs(); // EmaKMeans takes indices within each codebook
                }
                int dead = km.update(heads, bs, nearest, rng);
                reseeded += dead;
                reseededLastEpoch += dead;
                bottleneck.keysChanged();
            }
        }
        keysReady = true;
        initReport = String.format("keys: EMA k-means on %d samples (%s), %d epoch(s) of batch %d; %d dead keys "
                        + "re-seeded (%d in the last epoch) of %d", n, initSource.describe(), spec.initEpochs(), bs,
                reseeded, reseededLastEpoch, spec.codebooks() * spec.pairs());
    }

    /** Uses the given keys {@code [C][M][k]} as the frozen keys instead of initialising them (tests). */
    public void useKeys(float[] keys) {
        if (keys.length != bottleneck.keys().length) {
            throw new IllegalArgumentException("need " + bottleneck.keys().length + " key entries");
        }
        System.arraycopy(keys, 0, bottleneck.keys(), 0, keys.length);
        bottleneck.keysChanged();
        keysReady = true;
        initReport = "keys given";
    }

    /**
     * The key indices of a batch, {@code [n][C][topK]} global pair indices {@code c * M + j}; {@link #observe}
     * computes them once per received batch and reuses them for all its steps (keys and encoder are frozen).
     */
    public int[] keyIndices(INDArray features) {
        initialiseKeys();
        return bottleneck.nearest(features, spec.topK(), null);
    }

    @Override
    public void observe(StreamBatch batch) {
        int[] idx = keyIndices(batch.features());
        int[] y = batch.labels();
        for (int i : idx) {
            counts[i]++;
        }
        for (int s = 0; s < spec.stepsPerBatch(); s++) {
            sgdStep(idx, y);
        }
    }

    /**
     * One SGD step on cached global pair indices ({@code c * M + j}, as {@link #keyIndices} returns them); returns the mean loss. Public for
     * the throughput benchmark.
     */
    public double sgdStep(int[] idx, int[] y) {
        int n = y.length;
        int slots = spec.codebooks() * spec.topK();
        if (idx.length != n * slots) {
            throw new IllegalArgumentException("expected " + n * slots + " indices, got " + idx.length);
        }
        int v = valueDim;
        float[] m = new float[v];
        float[] z = new float[outputs];
        float[] dz = new float[outputs];
        float[] dm = new float[v];
        float[] gW = decoderW == null ? null : new float[decoderW.length];
        float[] gB = decoderB == null ? null : new float[decoderB.length];
        int nTouched = 0;
        double loss = 0;
        double smooth = spec.labelSmoothing();
        for (int i = 0; i < n; i++) {
            Arrays.fill(m, 0);
            for (int s = 0; s < slots; s++) {
                int off = idx[i * slots + s] * v;
                for (int a = 0; a < v; a++) {
                    m[a] += values[off + a];
                }
            }
            for (int a = 0; a < v; a++) {
                m[a] /= slots;
            }
            decode(m, z);
            double max = Double.NEGATIVE_INFINITY;
            for (float q : z) {
                max = Math.max(max, q);
            }
            double sum = 0;
            for (int o = 0; o < outputs; o++) {
                sum += Math.exp(z[o] - max);
            }
            double logSum = max + Math.log(sum);
            for (int o = 0; o < outputs; o++) {
                double target = smooth / outputs + (o == y[i] ? 1 - smooth : 0);
                double p = Math.exp(z[o] - logSum);
                loss -= target * (z[o] - logSum);
                dz[o] = (float) ((p - target) / n);
            }
            if (decoderW != null) {
                Arrays.fill(dm, 0);
                for (int o = 0; o < outputs; o++) {
                    gB[o] += dz[o];
                    for (int a = 0; a < v; a++) {
                        gW[o * v + a] += dz[o] * m[a];
                        dm[a] += decoderW[o * v + a] * dz[o];
                    }
                }
            } else {
                System.arraycopy(dz, 0, dm, 0, v);
            }
            for (int s = 0; s < slots; s++) {
                int g = idx[i * slots + s];
                if (!touched[g]) {
                    touched[g] = true;
                    if (nTouched == touchedList.length) {
                        touchedList = Arrays.copyOf(touchedList, nTouched * 2);
                    }
                    touchedList[nTouched++] = g;
                }
                int off = g * v;
                for (int a = 0; a < v; a++) {
                    grad[off + a] += dm[a] / slots;
                }
            }
        }
        double norm2 = 0;
        for (int t = 0; t < nTouched; t++) {
            int off = touchedList[t] * v;
            for (int a = 0; a < v; a++) {
                norm2 += (double) grad[off + a] * grad[off + a];
            }
        }
        if (gW != null) {
            for (float g : gW) {
                norm2 += (double) g * g;
            }
            for (float g : gB) {
                norm2 += (double) g * g;
            }
        }
        double norm = Math.sqrt(norm2);
        double scale = spec.clipNorm() > 0 && norm > spec.clipNorm() ? spec.clipNorm() / norm : 1.0;
        float step = (float) (spec.lr() * scale);
        for (int t = 0; t < nTouched; t++) {
            int g = touchedList[t];
            int off = g * v;
            for (int a = 0; a < v; a++) {
                values[off + a] -= step * grad[off + a];
                grad[off + a] = 0;
            }
            touched[g] = false;
        }
        if (gW != null) {
            for (int k = 0; k < gW.length; k++) {
                decoderW[k] -= step * gW[k];
            }
            for (int k = 0; k < gB.length; k++) {
                decoderB[k] -= step * gB[k];
            }
        }
        return loss / n;
    }

    private void decode(float[] m, float[] z) {
        if (decoderW == null) {
            System.arraycopy(m, 0, z, 0, outputs);
            return;
        }
        int v = valueDim;
        for (int o = 0; o < outputs; o++) {
            double s = decoderB[o];
            for (int a = 0; a < v; a++) {
                s += decoderW[o * v + a] * m[a];
            }
            z[o] = (float) s;
        }
    }

    /**
     * Predicted outputs for features {@code x}: each head fetches its nearest used keys only; -1 where no codebook
     * has a used key.
     */
    public int[] predict(INDArray x) {
        int n = (int) x.size(0);
        int[] out = new int[n];
        boolean[] usable = new boolean[counts.length];
        boolean any = false;
        for (int k = 0; k < counts.length; k++) {
            usable[k] = counts[k] > 0;
            any |= usable[k];
        }
        if (!any) {
            Arrays.fill(out, -1);
            return out;
        }
        int[] idx = bottleneck.nearest(x, spec.topK(), usable);
        int slots = spec.codebooks() * spec.topK();
        int v = valueDim;
        float[] m = new float[v];
        float[] z = new float[outputs];
        for (int i = 0; i < n; i++) {
            Arrays.fill(m, 0);
            int used = 0;
            for (int s = 0; s < slots; s++) {
                int g = idx[i * slots + s];
                if (g < 0) {
                    continue;
                }
                used++;
                for (int a = 0; a < v; a++) {
                    m[a] += values[g * v + a];
                }
            }
            if (used == 0) {
                out[i] = -1;
                continue;
            }
            for (int a = 0; a < v; a++) {
                m[a] /= used;
            }
            decode(m, z);
            int best = 0;
            for (int o = 1; o < outputs; o++) {
                if (z[o] > z[best]) {
                    best = o;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Override
    public int[] predict(ClassIncrementalQuery query) {
        return predict(query.features());
    }

    @Override
    public int[] predict(DomainIncrementalQuery query) {
        return predict(query.features());
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        out.putLong("dkvb/keys_ready", keysReady ? 1 : 0);
        out.putString("dkvb/init_report", initReport);
        out.putArray("dkvb/keys", Nd4j.create(bottleneck.keys(), new long[] {bottleneck.keys().length},
                DataType.FLOAT));
        out.putArray("dkvb/values", Nd4j.create(values, new long[] {values.length}, DataType.FLOAT));
        out.putInts("dkvb/counts", counts);
        if (decoderW != null) {
            out.putArray("dkvb/decoder_w", Nd4j.create(decoderW, new long[] {decoderW.length}, DataType.FLOAT));
            out.putArray("dkvb/decoder_b", Nd4j.create(decoderB, new long[] {decoderB.length}, DataType.FLOAT));
        }
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        copy(in, "dkvb/keys", bottleneck.keys());
        copy(in, "dkvb/values", values);
        int[] c = in.ints("dkvb/counts");
        if (c.length != counts.length) {
            throw new IOException("checkpoint has " + c.length + " key-value pairs, the config builds " + counts.length);
        }
        System.arraycopy(c, 0, counts, 0, c.length);
        if (decoderW != null) {
            copy(in, "dkvb/decoder_w", decoderW);
            copy(in, "dkvb/decoder_b", decoderB);
        }
        keysReady = in.getLong("dkvb/keys_ready") == 1;
        initReport = in.getString("dkvb/init_report");
        bottleneck.keysChanged();
    }

    private static void copy(StateReader in, String name, float[] dst) throws IOException {
        if (!in.has(name)) {
            throw new IOException("checkpoint lacks " + name);
        }
        float[] src = in.array(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (src.length != dst.length) {
            throw new IOException("checkpoint " + name + " has " + src.length + " entries, the config builds "
                    + dst.length);
        }
        System.arraycopy(src, 0, dst, 0, src.length);
    }
}
