package org.cllab.core.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {

    private static long[] draw(Rng rng, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextLong();
        }
        return v;
    }

    @Test
    void sameSeedGivesSameSequence() {
        assertArrayEquals(draw(new Rng(2024), 1000), draw(new Rng(2024), 1000));
        assertFalse(Arrays.equals(draw(new Rng(2024), 1000), draw(new Rng(2025), 1000)));
    }

    @Test
    void matchesReferenceSplitMix64() {
        // First outputs of the reference splitmix64.c (Vigna) for seeds 0 and 1234567.
        assertArrayEquals(new long[] {0xe220a8397b1dcdafL, 0x6e789e6aa1b965f4L, 0x06c45d188009454fL},
                draw(new Rng(0), 3));
        assertEquals(6457827717110365317L, new Rng(1234567).nextLong());
    }

    @Test
    void fnv1a64MatchesPublishedTestVectors() {
        assertEquals(0xcbf29ce484222325L, Seeds.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, Seeds.fnv1a64("a"));
        assertEquals(0x85944171f73967e8L, Seeds.fnv1a64("foobar"));
    }

    /**
     * Golden values of the documented seed split {@code derive(root, c) = mix(root ^ fnv1a64(c))}, computed once
     * (and cross-checked with an independent Python implementation of the formula) and pinned here. Published
     * results are reproduced from a run seed through this split: if this test fails, the derivation changed and
     * every stream order, permutation and initialisation of old runs changed with it. Do not update the values
     * without a deliberate, documented change of the seed scheme.
     */
    @Test
    void deriveGoldenValues() {
        assertEquals(0x03108fef52dc5d3dL, Seeds.derive(0L, "stream"));
        assertEquals(0x88ab3aa54d2cbfedL, Seeds.derive(0L, "learner"));
        assertEquals(0x95359c29cb44711eL, Seeds.derive(42L, "stream"));
        assertEquals(0x5f3f2f6573afc4e7L, Seeds.derive(42L, "learner"));
        assertEquals(0xf0b71b74b96df18fL, Seeds.derive(42L, "init"));
        assertEquals(0x945018a82fe2a470L, Seeds.derive(42L, "order/task-3"));
        assertEquals(0xec397c33ca3fc457L, Seeds.derive(-1L, "permutation/7"));
        assertEquals(0x8b165d77e29dd312L, Seeds.derive(42L, "stream", 2));
    }

    @Test
    void indexedDeriveIsSlashJoinedName() {
        assertEquals(Seeds.derive(7L, "stream/3"), Seeds.derive(7L, "stream", 3));
        assertNotEquals(Seeds.derive(7L, "stream", 3), Seeds.derive(7L, "stream", 4));
    }

    @Test
    void forComponentUsesDerivedSeed() {
        assertArrayEquals(draw(new Rng(Seeds.derive(99L, "init")), 5), draw(Rng.forComponent(99L, "init"), 5));
    }

    @Test
    void differentComponentNamesGiveDifferentSeeds() {
        assertNotEquals(Seeds.derive(42L, "stream"), Seeds.derive(42L, "learner"));
        assertNotEquals(Seeds.derive(42L, "order/task-0"), Seeds.derive(42L, "order/task-1"));
        assertNotEquals(Seeds.derive(42L, "init"), Seeds.derive(43L, "init"));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            assertTrue(seen.add(Seeds.derive(42L, "order/task-" + i)), "collision at task " + i);
            assertTrue(seen.add(Seeds.derive(42L, "permutation", i)), "collision at permutation " + i);
        }
    }

    @Test
    void nextIntIsUniformChiSquare() {
        Rng rng = new Rng(12345);
        int bins = 10;
        int n = 100_000;
        long[] counts = new long[bins];
        for (int i = 0; i < n; i++) {
            int v = rng.nextInt(bins);
            assertTrue(v >= 0 && v < bins, "out of range: " + v);
            counts[v]++;
        }
        double expected = (double) n / bins;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 99.9% quantile of chi-square with 9 degrees of freedom
        assertTrue(chi2 < 27.88, "chi2 = " + chi2 + ", counts " + Arrays.toString(counts));
    }

    @Test
    void nextIntRejectsNonPositiveBound() {
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).nextInt(0));
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).nextInt(-3));
    }

    @Test
    void nextDoubleAndFloatStayInUnitInterval() {
        Rng rng = new Rng(77);
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            double d = rng.nextDouble();
            float f = rng.nextFloat();
            assertTrue(d >= 0 && d < 1, "double " + d);
            assertTrue(f >= 0 && f < 1, "float " + f);
            sum += d;
        }
        assertEquals(0.5, sum / 10_000, 0.02);
    }

    @Test
    void permutationIsAPermutation() {
        Rng rng = new Rng(5);
        for (int n : new int[] {0, 1, 2, 10, 1000}) {
            int[] p = rng.permutation(n);
            assertEquals(n, p.length);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sorted[i], "n = " + n);
            }
        }
        int[] p = new Rng(5).permutation(1000);
        int fixed = 0;
        for (int i = 0; i < p.length; i++) {
            fixed += p[i] == i ? 1 : 0;
        }
        assertTrue(fixed < 10, "a random permutation of 1000 has about one fixed point, got " + fixed);
        assertArrayEquals(p, new Rng(5).permutation(1000));
    }

    @Test
    void stateRoundTripContinuesTheSameSequence() {
        Rng a = new Rng(31337);
        draw(a, 17);
        a.nextGaussian();
        a.nextInt(7);
        long saved = a.state();
        long[] expected = draw(a, 100);

        Rng b = new Rng(0);
        b.setState(saved);
        assertArrayEquals(expected, draw(b, 100));

        a.setState(saved);
        assertArrayEquals(expected, draw(a, 100));
        assertEquals(b.state(), a.state());
    }
}
