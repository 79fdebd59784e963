package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.cllab.core.spi.LearnerTraces;
import org.cllab.runs.report.ReportPlots;
import org.junit.jupiter.api.Test;

/** A learner's traces in {@code summary.json} and as a PNG, whatever the learner. */
class LearnerTracesSummaryTest {
    private static final LearnerTraces.Trace WEIGHTS = new LearnerTraces.Trace("source_weights", "iteration",
            "weight", List.of("a", "b"), new double[][] {{0.5, 0.5}, {0.75, 0.25}, {0.9, 0.1}});

    @Test
    void tracesAreWrittenRowByRow() {
        JsonNode n = Summary.traces(List.of(WEIGHTS));
        JsonNode t = n.get("source_weights");
        assertEquals("iteration", t.get("x").asText());
        assertEquals(List.of("a", "b"), List.of(t.get("columns").get(0).asText(), t.get("columns").get(1).asText()));
        assertEquals(3, t.get("rows").size());
        assertEquals(0.25, t.get("rows").get(1).get(1).asDouble());
    }

    @Test
    void plotIsAPng() {
        byte[] png = ReportPlots.trace(WEIGHTS);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertArrayEquals(png, ReportPlots.trace(WEIGHTS), "deterministic rendering");
    }

    @Test
    void badTracesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LearnerTraces.Trace("Bad Name", "x", "y", List.of("a"),
                new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> new LearnerTraces.Trace("ok", "x", "y", List.of("a"),
                new double[][] {{1, 2}}));
    }
}
