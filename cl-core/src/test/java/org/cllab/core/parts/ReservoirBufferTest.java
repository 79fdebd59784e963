package org.cllab.core.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;

/** Reservoir sampling: uniform inclusion, bookkeeping, distinct uniform sampling and exact checkpointing. */
class ReservoirBufferTest {
    private static final int DIM = 3;

    /** Item {@code i}: features (i, 10 i, -i), class i, local label i mod 3, task i / 7. */
    private static void offerItem(ReplayBuffer b, int i) {
        float[] x = {i, 10f * i, -i};
        b.offer(x, 0, i, i % 3, i / 7);
    }

    private static int[] storedLabels(ReplayBuffer b) {
        int[] l = new int[b.size()];
        for (int s = 0; s < l.length; s++) {
            l[s] = b.classLabelAt(s);
        }
        return l;
    }

    /**
     * 2000 independent runs (seeds 0..1999) of a capacity-100 reservoir over 1000 items. Algorithm R keeps every item
     * with probability 100/1000 = 0.1, whatever its position. Counts per index: Binomial(2000, 0.1), mean 200.
     */
    @Test
    void everyItemIsKeptWithProbabilityCapacityOverN() {
        int runs = 2000;
        int n = 1000;
        int capacity = 100;
        long[] kept = new long[n];
        float[] x = new float[1];
        for (int seed = 0; seed < runs; seed++) {
            ReservoirBuffer b = new ReservoirBuffer(capacity, 1, new Rng(seed));
            for (int i = 0; i < n; i++) {
                x[0] = i;
                b.offer(x, 0, i, 0, 0);
            }
            assertEquals(capacity, b.size());
            for (int s = 0; s < capacity; s++) {
                kept[b.classLabelAt(s)]++;
            }
        }
        // per index: mean 2000*0.1 = 200, sd sqrt(2000*0.1*0.9) = 13.4; +-5.5 sd = [126, 274]. The chance that any of
        // the 1000 indices leaves this band by chance is about 1000 * 3.8e-8 = 4e-5.
        for (int i = 0; i < n; i++) {
            assertTrue(kept[i] >= 126 && kept[i] <= 274, "index " + i + " kept " + kept[i] + " times of " + runs);
        }
        // 10 bins of 100 consecutive indices: expected 100 * 200 = 20000 each. The total is fixed (100 kept per run),
        // so Pearson's statistic is ~ chi2 with 9 dof (scaled by the finite-population factor 900/999 < 1, so the
        // test is conservative). 99.9% quantile of chi2(9) = 27.88.
        double expected = 20000;
        double chi2 = 0;
        long[] bins = new long[10];
        for (int i = 0; i < n; i++) {
            bins[i / 100] += kept[i];
        }
        for (long o : bins) {
            chi2 += (o - expected) * (o - expected) / expected;
        }
        assertTrue(chi2 < 27.88, "chi2 = " + chi2 + " bins " + Arrays.toString(bins));
        // the first 100 items fill the buffer for free; they must not be over-represented. Variance of a bin over
        // 2000 runs (hypergeometric, 100 of 1000 drawn, 100 in the bin): 2000 * 100*0.1*0.9*900/999 = 16216,
        // sd 127.3; z > 4 happens by chance with p = 3e-5. (A buffer that never evicts would give 200000 here.)
        double z = (bins[0] - expected) / Math.sqrt(16216.0);
        assertTrue(z < 4, "first 100 items over-represented: z = " + z + ", bins " + Arrays.toString(bins));
        double zLast = (bins[9] - expected) / Math.sqrt(16216.0);
        assertTrue(zLast > -4, "last 100 items under-represented: z = " + zLast + ", bins " + Arrays.toString(bins));
    }

    @Test
    void fillsToCapacityThenStaysFullAndCountsOffers() {
        ReservoirBuffer b = new ReservoirBuffer(5, DIM, new Rng(3));
        assertEquals(5, b.capacity());
        assertEquals(0, b.size());
        assertEquals(0, b.seen());
        for (int i = 0; i < 40; i++) {
            offerItem(b, i);
            assertEquals(i + 1, b.seen());
            assertEquals(Math.min(i + 1, 5), b.size());
            if (i < 5) {
                // while there is room every item is stored in arrival order
                assertEquals(i, b.classLabelAt(i));
            }
        }
        // five distinct items from the stream
        Set<Integer> labels = new HashSet<>();
        for (int l : storedLabels(b)) {
            assertTrue(l >= 0 && l < 40);
            labels.add(l);
        }
        assertEquals(5, labels.size());
        // the final content is a uniform 5-subset of the 40 items, so the first five all survive with probability
        // 1/C(40,5) = 1.5e-6: some later item must have replaced one of them
        assertTrue(Arrays.stream(storedLabels(b)).anyMatch(l -> l >= 5), Arrays.toString(storedLabels(b)));
    }

    /** Every row of a sample must be a stored item with its own features, labels and task. */
    private static void assertRowsConsistent(Minibatch m, Set<Integer> stored) {
        float[] x = m.features().dup('c').data().asFloat();
        assertEquals(DIM, m.features().size(1));
        for (int r = 0; r < m.size(); r++) {
            int i = m.classLabels()[r];
            assertTrue(stored.contains(i), "sampled item " + i + " is not in the buffer " + stored);
            assertArrayEquals(new float[] {i, 10f * i, -i}, Arrays.copyOfRange(x, r * DIM, r * DIM + DIM), 0f);
            assertEquals(i % 3, m.localLabels()[r]);
            assertEquals(i / 7, m.tasks()[r]);
        }
    }

    @Test
    void sampleReturnsDistinctStoredItems() {
        ReservoirBuffer b = new ReservoirBuffer(5, DIM, new Rng(3));
        for (int i = 0; i < 3; i++) {
            offerItem(b, i);
        }
        // partly filled: asking for more than held returns everything held, once each
        Minibatch all = b.sample(5, new Rng(1));
        assertEquals(3, all.size());
        assertEquals(3, all.features().size(0));
        assertEquals(Set.of(0, 1, 2), toSet(all.classLabels()));
        assertRowsConsistent(all, Set.of(0, 1, 2));

        for (int i = 3; i < 40; i++) {
            offerItem(b, i);
        }
        Set<Integer> stored = toSet(storedLabels(b));
        Rng draw = new Rng(17);
        int[] slotHits = new int[40];
        int draws = 5000;
        for (int rep = 0; rep < draws; rep++) {
            Minibatch m = b.sample(2, draw);
            assertEquals(2, m.size());
            assertEquals(2, toSet(m.classLabels()).size(), "duplicate in " + Arrays.toString(m.classLabels()));
            assertRowsConsistent(m, stored);
            for (int l : m.classLabels()) {
                slotHits[l]++;
            }
        }
        // uniform over the 5 slots: each is in a draw of 2 with p = 2/5; hits ~ Binomial(5000, 0.4): mean 2000,
        // sd 34.6; +-6 sd = [1792, 2208] (a draw that always favoured the first slots would fail)
        for (int l : stored) {
            assertTrue(slotHits[l] >= 1792 && slotHits[l] <= 2208, "item " + l + " drawn " + slotHits[l] + " times");
        }
        Minibatch everything = b.sample(100, new Rng(2));
        assertEquals(5, everything.size());
        assertEquals(stored, toSet(everything.classLabels()));
    }

    private static Set<Integer> toSet(int[] a) {
        Set<Integer> s = new HashSet<>();
        for (int v : a) {
            s.add(v);
        }
        return s;
    }

    static byte[] save(ReplayBuffer b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            b.save("buf", w);
        }
        return bos.toByteArray();
    }

    static void load(ReplayBuffer b, byte[] bytes) throws IOException {
        b.load("buf", new StateReader(new ByteArrayInputStream(bytes)));
    }

    /** Full contents (slot order, features, labels, tasks) and counters as one comparable string. */
    static String contents(ReplayBuffer b) {
        StringBuilder sb = new StringBuilder("size=" + b.size() + " seen=" + b.seen() + "\nslots: ");
        for (int s = 0; s < b.size(); s++) {
            sb.append(b.classLabelAt(s)).append(' ');
        }
        // the same draw generator visits equal buffers in the same order, so full samples compare slot by slot
        Minibatch full = b.sample(b.size(), new Rng(99));
        sb.append("\nfeatures: ").append(Arrays.toString(full.features().dup('c').data().asFloat()))
                .append("\nclasses: ").append(Arrays.toString(full.classLabels()))
                .append("\nlocal: ").append(Arrays.toString(full.localLabels()))
                .append("\ntasks: ").append(Arrays.toString(full.tasks()));
        return sb.toString();
    }

    @Test
    void saveLoadRestoresContentsAndRngState() throws IOException {
        ReservoirBuffer original = new ReservoirBuffer(20, DIM, new Rng(5));
        for (int i = 0; i < 150; i++) {
            offerItem(original, i);
        }
        byte[] bytes = save(original);
        // the copy starts from a different generator: only the restored state can make it continue identically
        ReservoirBuffer copy = new ReservoirBuffer(20, DIM, new Rng(123456));
        load(copy, bytes);
        assertEquals(original.size(), copy.size());
        assertEquals(original.seen(), copy.seen());
        assertEquals(contents(original), contents(copy));

        for (int i = 150; i < 400; i++) {
            offerItem(original, i);
            offerItem(copy, i);
        }
        assertEquals(400, copy.seen());
        assertEquals(contents(original), contents(copy));
        // and the continuation really replaced items (otherwise the comparison above would be vacuous)
        assertTrue(Arrays.stream(storedLabels(copy)).anyMatch(l -> l >= 150), Arrays.toString(storedLabels(copy)));
    }
}
