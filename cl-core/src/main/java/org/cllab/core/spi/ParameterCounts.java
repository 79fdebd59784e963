package org.cllab.core.spi;

import java.util.Map;

/**
 * Optional: a learner that reports its parameter counts (e.g. shared backbone and per-task parameters); the runner
 * writes them to {@code summary.json} under {@code "parameters"}, in the map's order, and never interprets them.
 */
public interface ParameterCounts {
    /** Name to count, e.g. {@code shared}, {@code task_0}, ... */
    Map<String, Long> parameterCounts();
}
