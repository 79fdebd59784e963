package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.learners.dkvb.DkvbLearner;
import org.cllab.core.learners.dkvb.DkvbSpec;
import org.cllab.core.learners.dkvb.KeyInitSource;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throughput and memory of the key-value bottleneck at the paper's default size (C = 256 codebooks, M = 4096
 * pairs, key dim 14, top-1, 10 classes, batch 256) on 128-d features (the width of our frozen encoder):
 * key initialisation, key-index computation (once per sample), training steps on cached indices (lookups and
 * sparse value updates) and evaluation with unused pairs excluded. Prints samples/second and the process's
 * resident memory. Usage: {@code java -cp cl.jar org.cllab.runs.run.DkvbBenchmark [C M keyDim featureDim]}
 * (scripts/bench-dkvb.sh).
 */
public final class DkvbBenchmark {
    private DkvbBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int c = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 14;
        int d = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int classes = 10;
        int bs = 256;
        ScenarioInfo info = new ScenarioInfo("bench", List.of(new TaskInfo(0, "all", new int[] {0, 1, 2, 3, 4, 5, 6,
                7, 8, 9})), d, new int[] {1, 1, d}, classes, classes);
        DkvbSpec spec = new DkvbSpec(c, m, k, 1, 0, DkvbSpec.Split.RANDOM_PROJECTION, DkvbSpec.Decoder.MEAN, 0.3,
                0.1, 1.0, bs, 1, 0.95, 1e-5, 0.1, 10_000, 1, bs);
        DkvbLearner l = new DkvbLearner(spec, new LearnerContext(info, Mode.CLASS_INCREMENTAL, 1L,
                TrainingListener.NONE), KeyInitSource.uniform(0, 1));
        System.out.printf("DKVB benchmark: C=%d, M=%d, key dim %d, feature dim %d, %d classes, batch %d, %d cores%n",
                c, m, k, d, classes, bs, Runtime.getRuntime().availableProcessors());
        System.out.println("sizes: " + l.sizeReport());
        System.out.printf("resident memory after construction: %d MB%n", rssMb());

        long t0 = System.nanoTime();
        l.initialiseKeys();
        double initS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("key initialisation (EMA k-means, 10000 samples, 1 epoch): %.1f s (%.0f samples/s)%n",
                initS, 10_000 / initS);

        Rng rng = new Rng(7);
        int batches = 20;
        INDArray[] xs = new INDArray[batches];
        int[][] ys = new int[batches][];
        for (int b = 0; b < batches; b++) {
            float[] x = new float[bs * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextFloat();
            }
            xs[b] = Nd4j.create(x, new long[] {bs, d}, DataType.FLOAT);
            ys[b] = new int[bs];
            for (int i = 0; i < bs; i++) {
                ys[b][i] = rng.nextInt(classes);
            }
        }
        l.keyIndices(xs[0]); // warm-up
        t0 = System.nanoTime();
        int[][] idx = new int[batches][];
        for (int b = 0; b < batches; b++) {
            idx[b] = l.keyIndices(xs[b]);
        }
        double idxS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("key-index computation (once per sample): %.0f samples/s (%d samples in %.2f s)%n",
                batches * bs / idxS, batches * bs, idxS);
        for (int b = 0; b < batches; b++) {
            l.sgdStep(idx[b], ys[b]); // warm-up
        }
        int reps = 20;
        t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            for (int b = 0; b < batches; b++) {
                l.sgdStep(idx[b], ys[b]);
            }
        }
        double stepS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("training with the index cache (lookups + sparse SGD): %.0f samples/s (%d steps of %d in "
                + "%.2f s, %.2f ms/step)%n", (double) reps * batches * bs / stepS, reps * batches, bs, stepS,
                1e3 * stepS / (reps * batches));
        for (int b = 0; b < batches; b++) {
            l.observe(new org.cllab.core.api.StreamBatch(xs[b], ys[b]));
        }
        t0 = System.nanoTime();
        int evalN = 0;
        for (int b = 0; b < 4; b++) {
            l.predict(xs[b]);
            evalN += bs;
        }
        double evalS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("evaluation (nearest used keys only): %.0f samples/s%n", evalN / evalS);
        System.out.printf("peak resident memory: %d MB (java heap used %d MB)%n", peakRssMb(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    private static long rssMb() throws IOException {
        return status("VmRSS:");
    }

    private static long peakRssMb() throws IOException {
        return status("VmHWM:");
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
