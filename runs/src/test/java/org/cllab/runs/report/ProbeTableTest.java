package org.cllab.runs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Test;

class ProbeTableTest {
    private static RunRecord run(String learner, long seed, String probe) throws Exception {
        return new RunRecord(Path.of("r" + learner + seed), learner, "few-shot 2x2", seed, Json.MAPPER.readTree(
                "{\"finished\": true" + (probe == null ? "" : ", \"few_shot_probe\": " + probe) + "}"));
    }

    /** Hand-computed means and sample stds over two seeds; runs without a probe are left out. */
    @Test
    void aggregatesCurvesLastPointsAndSpearmanOverSeeds() throws Exception {
        List<ProbeTable> rows = ProbeTable.aggregate(List.of(
                run("a", 0, "{\"curve\": [0.2, 0.4, 0.6], \"last\": 0.6, \"spearman\": 1.0}"),
                run("a", 1, "{\"curve\": [0.2, 0.6, 0.4], \"last\": 0.4, \"spearman\": -1.0}"),
                run("b", 0, null)));
        assertEquals(1, rows.size());
        ProbeTable r = rows.get(0);
        assertEquals(2, r.runs());
        assertArrayEquals(new double[] {0.2, 0.5, 0.5}, r.curveMean(), 1e-12);
        assertArrayEquals(new double[] {0.0, Math.sqrt(0.02), Math.sqrt(0.02)}, r.curveStd(), 1e-12);
        assertArrayEquals(new double[] {0.5, Math.sqrt(0.02)}, r.last(), 1e-12);
        assertArrayEquals(new double[] {0.0, Math.sqrt(2)}, r.spearman(), 1e-12);
        assertTrue(ProbeTable.markdown(rows).contains("| a | 2 | 0.2000 ± 0.0000 | 0.5000 ± 0.1414 | 0.0000 ± 1.4142 |"),
                ProbeTable.markdown(rows));
    }
}
