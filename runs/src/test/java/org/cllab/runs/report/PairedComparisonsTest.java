package org.cllab.runs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paired comparisons in a report: which pairs, the numbers (derived by hand) and the verdict. */
class PairedComparisonsTest {
    private static final double EPS = 1e-12;

    @TempDir
    Path tmp;

    @Test
    void learnersOnSharedSeedsAreComparedAndReferencesAreNot() throws IOException {
        FakeRuns.threeFinetuneOneJoint(tmp, 0);
        double[][] m = {{0.1, 0.1, 0.1}, {0.9, 0, 0}, {0.8, 0.8, 0}, {0.7, 0.7, 0.7}};
        double[] ewcAcc = {0.7, 0.6, 0.8};
        for (int s = 0; s < 3; s++) {
            FakeRuns.write(tmp.resolve("ewc/s" + s), "ewc", s, m, ewcAcc[s], -0.1, 0.1, 10);
        }
        List<RunRecord> runs = RunCollector.collect(tmp);
        List<PairedComparisons.Comparison> cs = PairedComparisons.of(MetricTable.aggregate(runs), runs);
        assertEquals(1, cs.size(), "finetune vs ewc only: joint is a reference, one mode: " + cs);
        PairedComparisons.Comparison c = cs.get(0);
        assertEquals(List.of("finetune", "ewc", List.of(0L, 1L, 2L)), List.of(c.a(), c.b(), c.seeds()));
        // finetune 0.5, 0.4, 0.5 minus ewc 0.7, 0.6, 0.8: d = -0.2, -0.2, -0.3, mean -0.7/3; only the all-equal sign
        // patterns are as extreme: p = 2/8; bootstrap means -0.3 (1), -0.2667 (6), -0.2333 (12), -0.2 (8):
        // 0.025 at h = .65 -> -0.3 + .65 / 30, 0.975 at h = 25.35 -> -0.2: the interval is below 0
        assertEquals(-0.7 / 3, c.result().meanDiff(), EPS);
        assertEquals(0.25, c.result().p(), EPS);
        assertEquals(-0.3 + 0.65 / 30, c.result().lo(), EPS);
        assertEquals(-0.2, c.result().hi(), EPS);
        assertEquals("finetune < ewc", c.verdict());
        String md = PairedComparisons.markdown(cs);
        assertTrue(md.contains("| finetune | ewc | 3 | -0.2333 | [-0.2783, -0.2000] | 0.250 | finetune < ewc |"), md);
    }

    @Test
    void oneSeedGivesNoComparison() throws IOException {
        FakeRuns.threeFinetuneOneJoint(tmp, 0);
        double[][] m = {{0.1, 0.1, 0.1}, {0.9, 0, 0}, {0.8, 0.8, 0}, {0.7, 0.7, 0.7}};
        FakeRuns.write(tmp.resolve("ewc/s0"), "ewc", 0, m, 0.7, -0.1, 0.1, 10);
        List<RunRecord> runs = RunCollector.collect(tmp);
        assertEquals(List.of(), PairedComparisons.of(MetricTable.aggregate(runs), runs));
        assertEquals("", PairedComparisons.markdown(List.of()));
    }
}
