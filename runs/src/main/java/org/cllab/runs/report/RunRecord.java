package org.cllab.runs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * One finished run as a report sees it.
 *
 * @param dir      run directory
 * @param learner  {@code learner.type}
 * @param scenario scenario label, e.g. {@code split-fashion-mnist 5x2}
 * @param seed     {@code run.seed}
 * @param summary  parsed {@code summary.json}
 */
public record RunRecord(Path dir, String learner, String scenario, long seed, JsonNode summary) {
}
