package org.cllab.core.spi;

import java.util.List;

/**
 * Optional: a learner that records series during training (e.g. per-iteration weights of its data sources). The
 * runner writes them, after the last task, into {@code summary.json} under {@code "traces"} and draws each as a line
 * plot {@code trace_<name>.png} in the run directory; it never interprets them. Traces are part of the learner's
 * saved state, so a resumed run reports the same.
 */
public interface LearnerTraces {
    /** The traces, in the order they are reported. */
    List<Trace> traces();

    /**
     * One series: a row per step, a value per column.
     *
     * @param name    file-name friendly name ({@code [a-z0-9_-]+})
     * @param xLabel  what a row is, e.g. {@code meta-iteration}
     * @param yLabel  what the values are
     * @param columns the column names
     * @param rows    the values, {@code rows[step][column]}
     */
    record Trace(String name, String xLabel, String yLabel, List<String> columns, double[][] rows) {
        public Trace {
            if (!name.matches("[a-z0-9_-]+")) {
                throw new IllegalArgumentException("trace name must match [a-z0-9_-]+: " + name);
            }
            columns = List.copyOf(columns);
            rows = rows.clone();
            for (double[] r : rows) {
                if (r.length != columns.size()) {
                    throw new IllegalArgumentException("trace " + name + ": a row has " + r.length + " values for "
                            + columns.size() + " columns");
                }
            }
        }
    }
}
