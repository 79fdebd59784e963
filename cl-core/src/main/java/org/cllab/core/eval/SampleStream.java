package org.cllab.core.eval;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.StreamBatch;
import org.cllab.core.data.TaskData;
import org.cllab.core.rng.Rng;
import org.cllab.core.rng.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The boundary-free sample stream of a scenario, cut into minibatches of one fixed size.
 *
 * <p>Task {@code t}'s training samples are visited in the order {@code Rng(derive(streamSeed, "stream", t))
 * .permutation(n_t)}. The stream is the concatenation of these orders; it is cut into batches of {@code batchSize}
 * samples. The batches "of task t" are those completed while task t's samples are being delivered: the remainder
 * of task t-1 (fewer than {@code batchSize} samples) opens task t's first batch, and task t's own remainder waits
 * for task t+1. Only the last task emits its remainder as a final short batch. So every batch a learner receives
 * has exactly the requested size except the very last one of the whole stream, and a batch's size never reveals a
 * task boundary.
 *
 * <p>The remainder carried into task t depends only on the stream seed and the task sizes, so it is recomputed
 * (not stored) when a run resumes at a boundary.
 */
public final class SampleStream {
    /** One training sample: its task and its index in that task's training data. */
    public record Ref(int task, int index) {
    }

    private final Scenario scenario;
    private final long streamSeed;
    private final int batchSize;

    public SampleStream(Scenario scenario, long streamSeed, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.scenario = scenario;
        this.streamSeed = streamSeed;
        this.batchSize = batchSize;
    }

    private List<Ref> order(int t) {
        int[] perm = new Rng(Seeds.derive(streamSeed, "stream", t)).permutation(scenario.train(t).size());
        List<Ref> l = new ArrayList<>(perm.length);
        for (int i : perm) {
            l.add(new Ref(t, i));
        }
        return l;
    }

    /** Samples carried into task {@code t} from earlier tasks (fewer than one batch). */
    public List<Ref> carriedInto(int t) {
        List<Ref> pending = new ArrayList<>();
        for (int j = 0; j < t; j++) {
            pending.addAll(order(j));
            int full = pending.size() / batchSize * batchSize;
            pending = new ArrayList<>(pending.subList(full, pending.size()));
        }
        return pending;
    }

    /** The batches delivered while task {@code t} streams, in order. */
    public List<Ref[]> batchesOfTask(int t) {
        List<Ref> all = carriedInto(t);
        all.addAll(order(t));
        boolean last = t == scenario.info().numTasks() - 1;
        List<Ref[]> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += batchSize) {
            int to = Math.min(all.size(), from + batchSize);
            if (to - from < batchSize && !last) {
                break;
            }
            out.add(all.subList(from, to).toArray(new Ref[0]));
        }
        return out;
    }

    /** The features and labels (class or local labels, per {@code mode}) of a batch. */
    public StreamBatch materialise(Ref[] batch, Mode mode) {
        int d = scenario.info().featureDim();
        float[] x = new float[batch.length * d];
        int[] y = new int[batch.length];
        for (int r = 0; r < batch.length; r++) {
            TaskData data = scenario.train(batch[r].task());
            data.copyFeatures(batch[r].index(), x, r * d);
            y[r] = mode == Mode.CLASS_INCREMENTAL ? data.classLabel(batch[r].index())
                    : data.localLabel(batch[r].index());
        }
        return new StreamBatch(Nd4j.create(x, new long[] {batch.length, d}, DataType.FLOAT), y);
    }
}
