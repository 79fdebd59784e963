package org.cllab.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FewShotProbeTest {
    @Test
    void curveIsTheMeanOverEpisodes() {
        assertArrayEquals(new double[] {0.5, 0.25}, FewShotProbe.curve(List.of(new double[] {0.4, 0.6},
                new double[] {0.0, 0.5})), 1e-12);
    }

    /** Hand-computed: ranks with ties averaged; monotone = 1; reversed = -1; constant = NaN. */
    @Test
    void spearmanMatchesHandComputedValues() {
        double[] x = {1, 2, 3, 4};
        assertEquals(1.0, FewShotProbe.spearman(x, new double[] {0.1, 0.2, 0.5, 0.9}), 1e-12);
        assertEquals(-1.0, FewShotProbe.spearman(x, new double[] {4, 3, 2, 1}), 1e-12);
        // y ranks 1, 2.5, 2.5, 4 against 1..4: cov 4.5/4... Pearson of ranks = 4.5 / sqrt(5 * 4.5)
        assertEquals(4.5 / Math.sqrt(5 * 4.5), FewShotProbe.spearman(x, new double[] {0.1, 0.3, 0.3, 0.9}), 1e-12);
        assertTrue(Double.isNaN(FewShotProbe.spearman(x, new double[] {2, 2, 2, 2})));
    }
}
