package org.cllab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;

/** The boundary-free stream: fixed batch size across task ends, every sample once, resumable. */
class SampleStreamTest {
    private static final SyntheticScenario SCENARIO = SyntheticScenario.split(3, 2, 4, 25, 5, 3L); // 50 per task

    @Test
    void everyBatchButTheLastHasTheRequestedSize() {
        for (int bs : new int[] {7, 16, 50, 64, 200}) {
            SampleStream s = new SampleStream(SCENARIO, 11L, bs);
            List<SampleStream.Ref[]> all = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                all.addAll(s.batchesOfTask(t));
            }
            for (int i = 0; i < all.size() - 1; i++) {
                assertEquals(bs, all.get(i).length, "batch " + i + " of size " + bs);
            }
            Set<SampleStream.Ref> seen = new HashSet<>();
            all.forEach(b -> seen.addAll(List.of(b)));
            assertEquals(150, seen.size(), "each sample exactly once");
            assertEquals(150, all.stream().mapToInt(b -> b.length).sum());
        }
    }

    @Test
    void remainderIsCarriedIntoTheNextTask() {
        SampleStream s = new SampleStream(SCENARIO, 11L, 16); // 50 = 3*16 + 2
        assertEquals(3, s.batchesOfTask(0).size());
        assertEquals(2, s.carriedInto(1).size());
        SampleStream.Ref[] first = s.batchesOfTask(1).get(0);
        assertEquals(0, first[0].task(), "task 0's remainder opens task 1's first batch");
        assertEquals(0, first[1].task());
        assertEquals(1, first[2].task());
        // 2 + 50 = 52 = 3*16 + 4 carried into task 2; 4 + 50 = 54 = 3*16 + 6 -> final short batch of 6
        assertEquals(4, s.carriedInto(2).size());
        List<SampleStream.Ref[]> last = s.batchesOfTask(2);
        assertEquals(4, last.size());
        assertEquals(6, last.get(3).length);
        // a resumed run recomputes the same remainder from seed and sizes alone
        assertEquals(s.carriedInto(2), new SampleStream(SCENARIO, 11L, 16).carriedInto(2));
        assertTrue(s.carriedInto(0).isEmpty());
    }
}
