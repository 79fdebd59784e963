package org.cllab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The thread budget follows OMP_NUM_THREADS, and {@link CpuThreads#forParts} covers a range exactly once. */
class CpuThreadsTest {
    @Test
    void budgetIsOmpNumThreadsWhenPositiveElseTheCores() {
        assertEquals(3, CpuThreads.budget("3", 8));
        assertEquals(1, CpuThreads.budget(" 1 ", 8));
        assertEquals(8, CpuThreads.budget(null, 8));
        assertEquals(8, CpuThreads.budget("0", 8));
        assertEquals(8, CpuThreads.budget("two", 8));
        assertEquals(1, CpuThreads.budget(null, 0));
    }

    @Test
    void forPartsCoversEveryIndexOnce() {
        for (int n : new int[] {0, 1, 7, 256, 1001}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            CpuThreads.forParts(n, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "index " + i + " of " + n);
            }
        }
    }
}
