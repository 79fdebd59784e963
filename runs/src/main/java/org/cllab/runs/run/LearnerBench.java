package org.cllab.runs.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.learners.dkvb.DkvbSpec;
import org.cllab.core.learners.dkvb.KeyValueBottleneck;
import org.cllab.core.rng.Rng;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Time per step of each learner's hot loop and its achieved GFLOP/s as a fraction of the GEMM throughput measured
 * in the same process for the loop's dominant product shape ({@link GemmRoofline}). Uses only public API that
 * older builds have too, so scripts/bench-learners.sh can run the same driver against an old and a new build.
 *
 * <ul>
 *   <li>{@code hypernet CONFIG STEPS} (an HNET or RNN-hypernetwork config): learns every task of the config's stream with
 *       {@code STEPS} optimiser steps each (the task after {@code t} old tasks regularises {@code t} of them);</li>
 *   <li>{@code mlp CONFIG}: one epoch of the config's learner on its first task;</li>
 *   <li>{@code dkvb-keys [C M KEY_DIM FEATURE_DIM BATCHES]}: nearest-key indices of {@code BATCHES} batches of 256
 *       random features against random keys.</li>
 * </ul>
 * The FLOP counts are those of the matrix products (forward and backward) written out in {@link #hnetFlops},
 * {@link #rnnFlops} and {@link #mlpFlops}; element-wise work is not counted.
 */
public final class LearnerBench {
    private LearnerBench() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: LearnerBench hypernet CONFIG STEPS | mlp CONFIG | dkvb-keys [C M K D BATCHES]");
            System.exit(2);
        }
        switch (args[0]) {
            case "hypernet" -> hypernet(Path.of(args[1]), Integer.parseInt(args[2]));
            case "mlp" -> mlp(Path.of(args[1]));
            case "dkvb-keys" -> dkvbKeys(args);
            default -> {
                System.err.println("unknown bench " + args[0]);
                System.exit(2);
            }
        }
    }

    /** Counts optimiser steps. */
    private static final class StepCounter implements TrainingListener {
        long steps;

        @Override
        public void onStep(TaskInfo task, long step, double loss) {
            steps++;
        }
    }

    private static void hypernet(Path config, int steps) {
        RunConfig c = new ConfigLoader().load(config, List.of("learner.hnet.iterations=" + steps));
        Experiment ex = Experiment.build(c);
        StepCounter counter = new StepCounter();
        TaskAwareLearner l = (TaskAwareLearner) ex.newLearner(counter);
        // the FLOP count follows the hypernetwork's architecture (the config's learner type names it, we do not)
        boolean rnn = ((org.cllab.hypernets.HypernetLearner) l).hypernetwork()
                instanceof org.cllab.hypernets.RnnHyperNetwork;
        String kind = c.getString("learner.type");
        Scenario s = ex.scenario();
        int[] layers = layerSizes(c, s);
        int chunk = c.getInt("learner.hnet.chunk_dim");
        long target = targetParams(layers);
        int chunks = (int) ((target + chunk - 1) / chunk);
        int emb = c.getInt("learner.hnet.task_emb_dim") + c.getInt("learner.hnet.chunk_emb_dim");
        int batch = c.getInt("learner.batch_size");
        int rnnHidden = rnn ? c.getInt("learner.rnn.hidden_units") : 0;
        int[] hnetHidden = rnn ? null : c.getIntArray("learner.hnet.hidden");
        double totalFlops = 0;
        double totalSeconds = 0;
        System.out.printf(Locale.ROOT, "%s: target %s (%d weights), %d chunks of %d, batch %d%n", kind,
                java.util.Arrays.toString(layers), target, chunks, chunk, batch);
        for (int t = 0; t < s.info().numTasks(); t++) {
            counter.steps = 0;
            long t0 = System.nanoTime();
            l.learn(new TrainingExperience(s.info().task(t), s.train(t), s.info(), Map.of()));
            double sec = (System.nanoTime() - t0) / 1e9;
            int rows = 1 + t;
            double flops = !rnn ? hnetFlops(rows, chunks, emb, hnetHidden, chunk)
                    : rnnFlops(rows, chunks, emb, rnnHidden, chunk);
            flops += mlpFlops(layers, batch);
            totalFlops += flops * counter.steps;
            totalSeconds += sec;
            System.out.printf(Locale.ROOT, "  task %d (%d weight sets per step): %.3f ms/step, %.1f MFLOP/step, "
                    + "%.2f GFLOP/s%n", t, rows, 1e3 * sec / counter.steps, flops / 1e6, flops * counter.steps
                    / sec / 1e9);
        }
        int meanRows = chunks * (1 + s.info().numTasks()) / 2;
        String shape = !rnn ? meanRows + "x" + hnetHidden[hnetHidden.length - 1] + "x" + chunk
                : meanRows + "x" + rnnHidden + "x" + chunk;
        report(kind + " step", totalSeconds / (s.info().numTasks() * (double) steps), totalFlops / totalSeconds / 1e9,
                shape);
    }

    private static void mlp(Path config) {
        RunConfig c = new ConfigLoader().load(config, List.of("learner.epochs=1"));
        Experiment ex = Experiment.build(c);
        StepCounter counter = new StepCounter();
        ContinualLearner l = ex.newLearner(counter);
        Scenario s = ex.scenario();
        int[] layers = layerSizes(c, s);
        int batch = c.getInt("learner.batch_size");
        long t0 = System.nanoTime();
        ((TaskAwareLearner) l).learn(new TrainingExperience(s.info().task(0), s.train(0), s.info(), Map.of()));
        double sec = (System.nanoTime() - t0) / 1e9;
        double flops = mlpFlops(layers, batch) * counter.steps;
        System.out.printf(Locale.ROOT, "mlp %s: one epoch of task 0 = %d steps of batch %d in %.2f s%n",
                java.util.Arrays.toString(layers), counter.steps, batch, sec);
        report("mlp step", sec / counter.steps, flops / sec / 1e9, batch + "x" + layers[0] + "x" + layers[1]);
    }

    private static void dkvbKeys(String[] args) {
        int c = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        int k = args.length > 3 ? Integer.parseInt(args[3]) : 14;
        int d = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        int batches = args.length > 5 ? Integer.parseInt(args[5]) : 8;
        int bs = 256;
        KeyValueBottleneck b = new KeyValueBottleneck(d, c, m, k, DkvbSpec.Split.RANDOM_PROJECTION, new Rng(1));
        Rng rng = new Rng(2);
        float[] keys = b.keys();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) (0.3 * rng.nextGaussian());
        }
        b.keysChanged();
        List<INDArray> xs = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            float[] x = new float[bs * d];
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextFloat();
            }
            xs.add(Nd4j.create(x, new long[] {bs, d}, DataType.FLOAT));
        }
        b.nearest(xs.get(0), 1, null); // warm-up
        long checksum = 0;
        long t0 = System.nanoTime();
        for (INDArray x : xs) {
            for (int q : b.nearest(x, 1, null)) {
                checksum = checksum * 31 + q;
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double flops = 2.0 * bs * batches * c * (double) m * k;
        System.out.printf(Locale.ROOT, "dkvb key indices: C=%d, M=%d, key dim %d, %d samples: %.0f samples/s "
                + "(index checksum %d)%n", c, m, k, bs * batches, bs * batches / sec, checksum);
        report("dkvb key search (batch of 256)", sec / batches, flops / sec / 1e9, bs + "x" + k + "x" + m);
    }

    /** Prints one summary line: time per step, GFLOP/s, and the fraction of the GEMM roofline of {@code shape}. */
    private static void report(String what, double secondsPerStep, double gflops, String shape) {
        long[] mkn = GemmRoofline.parse(shape);
        double roof = GemmRoofline.measure((int) mkn[0], (int) mkn[1], (int) mkn[2], 1.0)[1];
        System.out.printf(Locale.ROOT, "RESULT %-32s %9.3f ms/step %8.2f GFLOP/s  roofline(%s) %7.2f GFLOP/s  "
                + "fraction %5.1f%%%n", what, secondsPerStep * 1e3, gflops, shape, roof, 100 * gflops / roof);
    }

    private static int[] layerSizes(RunConfig c, Scenario s) {
        int[] hidden = c.getIntArray("learner.hidden");
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = s.info().featureDim();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = s.info().numClasses(); // multi-head or class-incremental: one output per class
        return sizes;
    }

    private static long targetParams(int[] sizes) {
        long p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            p += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return p;
    }

    /**
     * Chunked hypernetwork, {@code R = rows * chunks} inputs: forward {@code 2 R sum(in out)}, backward the weight
     * gradients and the input gradients of every layer (the first one's give the embeddings' gradients):
     * {@code 6 R sum(in out)} in all.
     */
    static double hnetFlops(int rows, int chunks, int emb, int[] hidden, int chunk) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = emb;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = chunk;
        double sum = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            sum += (double) sizes[l] * sizes[l + 1];
        }
        return 6.0 * rows * chunks * sum;
    }

    /**
     * LSTM hypernetwork with {@code H} units, {@code R = rows * chunks}: input projection {@code 2 R d 4H}, recurrence
     * {@code 2 R H 4H}, read-out {@code 2 R H chunk}; backward three times the read-out and recurrence terms' worth
     * (weight and input gradients): {@code 3 x} the forward in all.
     */
    static double rnnFlops(int rows, int chunks, int emb, int h, int chunk) {
        double r = (double) rows * chunks;
        return 3 * (2 * r * emb * 4 * h + 2 * r * h * 4 * h + 2 * r * h * chunk);
    }

    /** Target / baseline MLP on a batch: forward, weight gradients, input gradients of all but the first layer. */
    static double mlpFlops(int[] sizes, int batch) {
        double f = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double mk = 2.0 * batch * sizes[l] * sizes[l + 1];
            f += (l == 0 ? 2 : 3) * mk;
        }
        return f;
    }
}
