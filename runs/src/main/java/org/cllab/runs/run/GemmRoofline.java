package org.cllab.runs.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-precision GEMM throughput through ND4J in this JVM: for every shape {@code MxKxN} ({@code [M,K] x [K,N]}),
 * {@code C = A B} into a preallocated {@code C} (no allocation in the timed loop), repeated for about
 * {@code seconds} per shape; prints the median of five timed rounds as GFLOP/s ({@code 2 M K N} per product). The
 * default shapes are the learners' products: the MLP baseline layers, the HNET hypernetwork layers at 1 and 5 task
 * embeddings (120 chunks each), the key-value bottleneck's per-codebook scores, and one large square product for the
 * machine's peak. Usage: {@code java -cp cl.jar org.cllab.runs.run.GemmRoofline [seconds] [MxKxN ...]}
 * (scripts/bench-roofline.sh).
 */
public final class GemmRoofline {
    /** The learners' shapes (see the class comment). */
    public static final List<String> DEFAULT_SHAPES = List.of("32x784x100", "128x784x256", "120x100x750",
            "600x100x750", "600x16x100", "256x14x4096", "256x15x4096", "1024x1024x1024");

    private GemmRoofline() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<String> shapes = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : DEFAULT_SHAPES;
        Nd4j.create(1); // load the backend before printing
        System.out.printf(Locale.ROOT, "GEMM roofline (float32, ND4J %s, %d cores available, OMP threads %s)%n",
                Nd4j.getExecutioner().getClass().getSimpleName(), Runtime.getRuntime().availableProcessors(),
                Nd4j.getEnvironment().maxMasterThreads());
        System.out.printf(Locale.ROOT, "%-16s %12s %10s %10s%n", "shape MxKxN", "ms/product", "GFLOP/s", "spread");
        for (String s : shapes) {
            long[] mkn = parse(s);
            double[] r = measure((int) mkn[0], (int) mkn[1], (int) mkn[2], seconds);
            System.out.printf(Locale.ROOT, "%-16s %12.4f %10.2f %9.0f%%%n", s, r[0] * 1e3, r[1], r[2] * 100);
        }
    }

    static long[] parse(String shape) {
        String[] p = shape.toLowerCase(Locale.ROOT).split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("shape must be MxKxN, got " + shape);
        }
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    /** {seconds per product (median round), GFLOP/s at the median, (max - min) / median over the rounds}. */
    static double[] measure(int m, int k, int n, double seconds) {
        Rng rng = new Rng(1);
        INDArray a = random(rng, m, k);
        INDArray b = random(rng, k, n);
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        double flops = 2.0 * m * k * n;
        // warm-up and calibration: repetitions per round so that five rounds take about `seconds`
        long t0 = System.nanoTime();
        int calib = 0;
        while (System.nanoTime() - t0 < 2e8 || calib < 3) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            calib++;
        }
        double per = (System.nanoTime() - t0) / 1e9 / calib;
        int reps = (int) Math.max(1, Math.ceil(seconds / 5 / per));
        List<Double> rounds = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            }
            rounds.add((System.nanoTime() - s) / 1e9 / reps);
        }
        rounds.sort(null);
        double median = rounds.get(2);
        return new double[] {median, flops / median / 1e9, (rounds.get(4) - rounds.get(0)) / median};
    }

    private static INDArray random(Rng rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.FLOAT);
    }
}
