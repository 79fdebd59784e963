package org.cllab.core.learners.ncm;

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
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nearest-class-mean classification (Mensink et al., "Distance-Based Image Classification: Generalizing to New
 * Classes at Near-Zero Cost", TPAMI 2013; the classifier of iCaRL, Rebuffi et al., CVPR 2017, without its exemplars):
 * every sample of the stream is added to a running sum of its class, and a query is answered by the class whose mean
 * is nearest (Euclidean, or cosine: both features and means L2-normalised). Classes never seen are never predicted; a
 * query before any class is seen gets -1.
 *
 * <p>Boundary-free and order-invariant up to float rounding: the means after a stream are those of all samples seen,
 * whatever the task order, so nothing learned is ever overwritten. Sums are kept in double precision and the
 * distances are computed in double, in plain Java (small: classes x feature dimension), so results are bit-identical
 * across thread counts.
 */
public final class NearestClassMeanLearner implements StreamingLearner, ClassIncrementalPredictor,
        DomainIncrementalPredictor {
    /** Distance to the class means. */
    public enum Metric {
        /** Squared Euclidean distance. */
        EUCLIDEAN,
        /** Cosine distance: features and means L2-normalised first. */
        COSINE
    }

    private final Mode trainingMode;
    private final int classes;
    private final int dim;
    private final int batchSize;
    private final Metric metric;
    private final double[] sums;
    private final int[] counts;

    public NearestClassMeanLearner(LearnerContext ctx, int batchSize, Metric metric) {
        this.trainingMode = ctx.trainingMode();
        this.classes = switch (trainingMode) {
            case CLASS_INCREMENTAL -> ctx.scenario().numClasses();
            case DOMAIN_INCREMENTAL -> ctx.scenario().localClasses();
            case TASK_INCREMENTAL -> throw new IllegalArgumentException("the nearest-class-mean learner learns "
                    + "without task ids: train it class-incremental or domain-incremental");
        };
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.dim = ctx.scenario().featureDim();
        this.batchSize = batchSize;
        this.metric = metric;
        this.sums = new double[classes * dim];
        this.counts = new int[classes];
    }

    @Override
    public int streamBatchSize() {
        return batchSize;
    }

    @Override
    public void observe(StreamBatch batch) {
        float[] x = rows(batch.features());
        int[] y = batch.labels();
        double[] row = new double[dim];
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("label " + y[i] + " outside 0.." + (classes - 1));
            }
            feature(x, i, row);
            int off = y[i] * dim;
            for (int j = 0; j < dim; j++) {
                sums[off + j] += row[j];
            }
            counts[y[i]] = Math.addExact(counts[y[i]], 1);
        }
    }

    /** Row {@code i} of {@code x} as doubles, L2-normalised for the cosine metric. */
    private void feature(float[] x, int i, double[] out) {
        double norm = 0;
        for (int j = 0; j < dim; j++) {
            out[j] = x[i * dim + j];
            norm += out[j] * out[j];
        }
        if (metric == Metric.COSINE && norm > 0) {
            double inv = 1 / Math.sqrt(norm);
            for (int j = 0; j < dim; j++) {
                out[j] *= inv;
            }
        }
    }

    private float[] rows(INDArray features) {
        if (features.rank() != 2 || features.size(1) != dim) {
            throw new IllegalArgumentException("expected [n, " + dim + "] features, got "
                    + Arrays.toString(features.shape()));
        }
        return features.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The current class means {@code [classes][dim]} (normalised for cosine); null rows for unseen classes. */
    public double[][] means() {
        double[][] m = new double[classes][];
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                continue;
            }
            m[c] = new double[dim];
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                m[c][j] = sums[c * dim + j] / counts[c];
                norm += m[c][j] * m[c][j];
            }
            if (metric == Metric.COSINE && norm > 0) {
                double inv = 1 / Math.sqrt(norm);
                for (int j = 0; j < dim; j++) {
                    m[c][j] *= inv;
                }
            }
        }
        return m;
    }

    /** Samples seen per class. */
    public int[] counts() {
        return counts.clone();
    }

    /** The nearest seen class of each row of {@code features}; -1 while no class has been seen. */
    public int[] predict(INDArray features) {
        float[] x = rows(features);
        int n = x.length / dim;
        double[][] m = means();
        int[] out = new int[n];
        double[] row = new double[dim];
        for (int i = 0; i < n; i++) {
            feature(x, i, row);
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (m[c] == null) {
                    continue;
                }
                double d = 0;
                for (int j = 0; j < dim; j++) {
                    double t = row[j] - m[c][j];
                    d += t * t;
                }
                if (d < bestD) {
                    bestD = d;
                    best = c;
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
    public Set<Mode> evaluationModes() {
        return EnumSet.of(trainingMode);
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        out.putArray("ncm/sums", Nd4j.create(sums, new long[] {sums.length},
                DataType.DOUBLE));
        out.putInts("ncm/counts", counts);
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        for (String name : new String[] {"ncm/sums", "ncm/counts"}) {
            if (!in.has(name)) {
                throw new IOException("checkpoint lacks " + name);
            }
        }
        double[] s = in.array("ncm/sums").castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int[] c = in.ints("ncm/counts");
        if (s.length != sums.length || c.length != classes) {
            throw new IOException("checkpoint has class means of another shape than the config builds ("
                    + s.length + " sums for " + sums.length + ")");
        }
        System.arraycopy(s, 0, sums, 0, s.length);
        System.arraycopy(c, 0, counts, 0, c.length);
    }
}
