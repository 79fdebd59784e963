package org.cllab.core.parts;

import java.io.IOException;
import java.util.Arrays;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reservoir sampling (Vitter's algorithm R): after {@code n} offers every offered sample is in the buffer with
 * probability {@code capacity / n}, whatever the order, so the buffer is a uniform sample of the stream. The
 * buffer owns its RNG (seeded by the learner), which is part of its checkpointed state.
 */
public class ReservoirBuffer implements ReplayBuffer {
    protected final int capacity;
    protected final int dim;
    protected final float[] features;
    protected final int[] classLabels;
    protected final int[] localLabels;
    protected final int[] tasks;
    protected final Rng rng;
    protected int size;
    protected long seen;

    public ReservoirBuffer(int capacity, int dim, Rng rng) {
        if (capacity <= 0 || dim <= 0) {
            throw new IllegalArgumentException("capacity and dim must be positive");
        }
        this.capacity = capacity;
        this.dim = dim;
        this.features = new float[capacity * dim];
        this.classLabels = new int[capacity];
        this.localLabels = new int[capacity];
        this.tasks = new int[capacity];
        this.rng = rng;
    }

    @Override
    public void offer(float[] x, int offset, int classLabel, int localLabel, int task) {
        seen++;
        if (size < capacity) {
            put(size++, x, offset, classLabel, localLabel, task);
            return;
        }
        long j = seen <= Integer.MAX_VALUE ? rng.nextInt((int) seen) : (rng.nextLong() >>> 1) % seen;
        if (j < capacity) {
            put((int) j, x, offset, classLabel, localLabel, task);
        }
    }

    protected final void put(int slot, float[] x, int offset, int classLabel, int localLabel, int task) {
        System.arraycopy(x, offset, features, slot * dim, dim);
        classLabels[slot] = classLabel;
        localLabels[slot] = localLabel;
        tasks[slot] = task;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long seen() {
        return seen;
    }

    @Override
    public int classLabelAt(int slot) {
        return classLabels[slot];
    }

    @Override
    public Minibatch sample(int k, Rng draw) {
        int n = Math.min(k, size);
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n; i++) { // partial Fisher-Yates
            int j = i + draw.nextInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        float[] x = new float[n * dim];
        int[] cls = new int[n];
        int[] loc = new int[n];
        int[] tk = new int[n];
        for (int r = 0; r < n; r++) {
            int s = idx[r];
            System.arraycopy(features, s * dim, x, r * dim, dim);
            cls[r] = classLabels[s];
            loc[r] = localLabels[s];
            tk[r] = tasks[s];
        }
        INDArray f = Nd4j.create(x, new long[] {n, dim}, DataType.FLOAT);
        return new Minibatch(f, tk, cls, loc);
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/features", Nd4j.create(Arrays.copyOf(features, size * dim), new long[] {size * dim},
                        DataType.FLOAT))
                .putInts(prefix + "/class_labels", Arrays.copyOf(classLabels, size))
                .putInts(prefix + "/local_labels", Arrays.copyOf(localLabels, size))
                .putInts(prefix + "/tasks", Arrays.copyOf(tasks, size))
                .putLong(prefix + "/seen", seen)
                .putLong(prefix + "/rng", rng.state());
    }

    @Override
    public void load(String prefix, StateReader in) {
        int[] cls = in.ints(prefix + "/class_labels");
        size = cls.length;
        if (size > capacity) {
            throw new IllegalStateException("checkpointed buffer holds " + size + " samples, capacity is " + capacity);
        }
        float[] f = in.array(prefix + "/features").castTo(DataType.FLOAT).data().asFloat();
        System.arraycopy(f, 0, features, 0, size * dim);
        System.arraycopy(cls, 0, classLabels, 0, size);
        System.arraycopy(in.ints(prefix + "/local_labels"), 0, localLabels, 0, size);
        System.arraycopy(in.ints(prefix + "/tasks"), 0, tasks, 0, size);
        seen = in.getLong(prefix + "/seen");
        rng.setState(in.getLong(prefix + "/rng"));
        afterLoad();
    }

    /** Recomputes derived bookkeeping after {@link #load}. */
    protected void afterLoad() {
    }
}
