package org.cllab.core.learners;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shuffled minibatches over one or more task parts (one part for sequential training, all parts seen so far for
 * Joint). Each epoch draws a fresh permutation of all samples from the given {@link Rng}; the last partial batch
 * is kept.
 */
public final class MinibatchSampler {
    private final List<TaskData> parts;
    private final int[] partTask;
    private final int[] partOf;
    private final int[] indexOf;
    private final int dim;

    public MinibatchSampler(List<TaskInfo> tasks, List<TaskData> data) {
        if (tasks.size() != data.size() || data.isEmpty()) {
            throw new IllegalArgumentException("need one task info per data part");
        }
        this.parts = new ArrayList<>(data);
        this.partTask = tasks.stream().mapToInt(TaskInfo::index).toArray();
        int n = data.stream().mapToInt(TaskData::size).sum();
        partOf = new int[n];
        indexOf = new int[n];
        int k = 0;
        for (int p = 0; p < data.size(); p++) {
            for (int i = 0; i < data.get(p).size(); i++) {
                partOf[k] = p;
                indexOf[k] = i;
                k++;
            }
        }
        this.dim = data.get(0).featureDim();
    }

    public int size() {
        return partOf.length;
    }

    public long batchesPerEpoch(int batchSize) {
        return (size() + batchSize - 1) / batchSize;
    }

    /** One epoch of minibatches in an order drawn from {@code rng}. */
    public Iterable<Minibatch> epoch(int batchSize, Rng rng) {
        int[] order = rng.permutation(size());
        return () -> new Iterator<>() {
            private int pos = 0;

            @Override
            public boolean hasNext() {
                return pos < order.length;
            }

            @Override
            public Minibatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(order.length, pos + batchSize);
                Minibatch b = build(order, pos, to);
                pos = to;
                return b;
            }
        };
    }

    private Minibatch build(int[] order, int from, int to) {
        int n = to - from;
        float[] x = new float[n * dim];
        int[] tasks = new int[n];
        int[] cls = new int[n];
        int[] loc = new int[n];
        for (int r = 0; r < n; r++) {
            int s = order[from + r];
            TaskData d = parts.get(partOf[s]);
            int i = indexOf[s];
            d.copyFeatures(i, x, r * dim);
            tasks[r] = partTask[partOf[s]];
            cls[r] = d.classLabel(i);
            loc[r] = d.localLabel(i);
        }
        return new Minibatch(Nd4j.create(x, new long[] {n, dim}, DataType.FLOAT), tasks, cls, loc);
    }
}
