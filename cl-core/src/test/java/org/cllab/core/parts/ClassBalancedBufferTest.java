package org.cllab.core.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;

/**
 * Class-balanced reservoir sampling on a heavily imbalanced stream: class 0 has 2000 samples, classes 1..4 have 100
 * each (2400 in all, shuffled with a fixed seed), capacity 200.
 *
 * <p>CBRS: once full, a sample of a class that is not the largest in memory evicts a sample of the largest class.
 * Every class sees at least 100 &ge; 200/5 = 40 samples, so the fixed point is exact balance, 40 per class; once
 * there, every class is a largest class and only replaces its own samples, so the counts stay at 40. (Simulating
 * 2000 stream/buffer seeds ended at exactly [40, 40, 40, 40, 40] every time.) Plain reservoir sampling keeps the
 * stream's proportions instead: class 0 gets 200 * 2000/2400 = 166.7 slots on average.
 */
class ClassBalancedBufferTest {
    private static final int CAPACITY = 200;

    /** Class labels of the stream: 2000 zeros and 100 each of 1..4, shuffled by {@code seed}. */
    private static int[] stream(long seed) {
        int[] labels = new int[2400];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 2000 ? 0 : 1 + (i - 2000) / 100;
        }
        new Rng(seed).shuffle(labels);
        return labels;
    }

    /** Offers sample {@code i} of the stream; its feature is its position, its local label its class ordinal. */
    private static void offer(ReplayBuffer b, int[] labels, int i, int ordinal) {
        b.offer(new float[] {i}, 0, labels[i], ordinal, labels[i] == 0 ? 0 : 1);
    }

    /** Runs the stream through {@code b}; returns the per-class ordinal of every position. */
    private static int[] ordinals(int[] labels) {
        int[] next = new int[5];
        int[] ord = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            ord[i] = next[labels[i]]++;
        }
        return ord;
    }

    private static void run(ReplayBuffer b, int[] labels, int from, int to) {
        int[] ord = ordinals(labels);
        for (int i = from; i < to; i++) {
            offer(b, labels, i, ord[i]);
        }
    }

    private static int[] perClass(ReplayBuffer b) {
        int[] c = new int[5];
        for (int s = 0; s < b.size(); s++) {
            c[b.classLabelAt(s)]++;
        }
        return c;
    }

    /**
     * 20 stream/buffer seeds. CBRS: every class within 40 +- 1 (all 2000 simulated seeds gave exactly 40; a variant
     * that evicts a random slot instead of one of the largest class lands in [39, 41] for only 38% of seeds, so
     * all 20 in the band would happen with probability 0.38^20 = 4e-9). Reservoir under the same stream: class 0
     * is hypergeometric, mean 166.7, sd sqrt(200*(5/6)(1/6)*2200/2399) = 5.05; mean - 5 sd = 141.4 (chance below it
     * in any of 20 runs < 1e-5). Each small class: mean 8.3, far below the balanced 40.
     */
    @Test
    void balancesAnImbalancedStreamWherePlainReservoirDoesNot() {
        for (int k = 0; k < 20; k++) {
            int[] labels = stream(2024 + k);
            ClassBalancedBuffer cb = new ClassBalancedBuffer(CAPACITY, 1, new Rng(7 + k));
            ReservoirBuffer rs = new ReservoirBuffer(CAPACITY, 1, new Rng(7 + k));
            run(cb, labels, 0, labels.length);
            run(rs, labels, 0, labels.length);
            assertEquals(2400, cb.seen());
            assertEquals(CAPACITY, cb.size());
            int[] balanced = perClass(cb);
            int[] plain = perClass(rs);
            String what = "run " + k + ": balanced " + Arrays.toString(balanced) + ", reservoir "
                    + Arrays.toString(plain);
            for (int c = 0; c < 5; c++) {
                assertTrue(balanced[c] >= 39 && balanced[c] <= 41, what);
            }
            assertTrue(plain[0] >= 141, what);
            for (int c = 1; c < 5; c++) {
                assertTrue(plain[c] < 25, what);
            }
        }
    }

    @Test
    void whileFillingEverySampleIsStored() {
        int[] labels = stream(1);
        ClassBalancedBuffer cb = new ClassBalancedBuffer(CAPACITY, 1, new Rng(1));
        run(cb, labels, 0, CAPACITY);
        assertEquals(CAPACITY, cb.size());
        for (int s = 0; s < CAPACITY; s++) {
            assertEquals(labels[s], cb.classLabelAt(s), "slot " + s);
        }
    }

    /**
     * Within a class the buffer is a reservoir sample: every one of the 2000 class-0 samples ends in memory with
     * probability 40/2000 = 0.02, early or late (random evictions and replacement with probability m_c/n_c keep
     * the reservoir invariant). Over 300 runs, 10 bins of 200 consecutive class-0 ordinals each expect
     * 300 * 40/10 = 1200 hits; the total per run is fixed (40), so Pearson's statistic is ~chi2(9) (conservative
     * with the finite-population factor); 99.9% quantile 27.88. A buffer that always replaced (no m_c/n_c) would
     * keep only the latest class-0 samples and put almost all hits in the last bin.
     */
    @Test
    void withinAClassTheMemoryIsUniformOverTheClassStream() {
        int runs = 300;
        long[] bins = new long[10];
        for (int r = 0; r < runs; r++) {
            int[] labels = stream(5000 + r);
            ClassBalancedBuffer cb = new ClassBalancedBuffer(CAPACITY, 1, new Rng(r));
            run(cb, labels, 0, labels.length);
            // local label = ordinal within the class (see offer); it travels with the sample
            var m = cb.sample(CAPACITY, new Rng(0));
            for (int i = 0; i < m.size(); i++) {
                if (m.classLabels()[i] == 0) {
                    bins[m.localLabels()[i] / 200]++;
                }
            }
        }
        long total = Arrays.stream(bins).sum();
        assertTrue(total >= runs * 38L && total <= runs * 42L, "class-0 memory is ~40 per run: " + total);
        double expected = total / 10.0;
        double chi2 = 0;
        for (long o : bins) {
            chi2 += (o - expected) * (o - expected) / expected;
        }
        assertTrue(chi2 < 27.88, "chi2 = " + chi2 + ", bins " + Arrays.toString(bins));
    }

    @Test
    void saveLoadMidStreamContinuesIdentically() throws IOException {
        int[] labels = stream(99);
        ClassBalancedBuffer original = new ClassBalancedBuffer(CAPACITY, 1, new Rng(11));
        run(original, labels, 0, 1200);
        byte[] bytes = ReservoirBufferTest.save(original);
        // a different generator and no per-class counts: only the checkpoint can make it continue identically
        ClassBalancedBuffer copy = new ClassBalancedBuffer(CAPACITY, 1, new Rng(424242));
        ReservoirBufferTest.load(copy, bytes);
        assertEquals(ReservoirBufferTest.contents(original), ReservoirBufferTest.contents(copy));
        run(original, labels, 1200, labels.length);
        run(copy, labels, 1200, labels.length);
        assertEquals(ReservoirBufferTest.contents(original), ReservoirBufferTest.contents(copy));

        // control: the same checkpoint loaded into a plain reservoir and continued does something different,
        // so the comparison above is sensitive to how the continuation behaves
        ReservoirBuffer plain = new ReservoirBuffer(CAPACITY, 1, new Rng(0));
        ReservoirBufferTest.load(plain, bytes);
        run(plain, labels, 1200, labels.length);
        assertNotEquals(ReservoirBufferTest.contents(original), ReservoirBufferTest.contents(plain));
    }
}
