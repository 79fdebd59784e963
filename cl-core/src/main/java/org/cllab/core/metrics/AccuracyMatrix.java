package org.cllab.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Immutable accuracy matrix R of a continual-learning run over T tasks: (T+1)&times;T test
 * accuracies in [0, 1].
 *
 * <h2>Indexing</h2>
 * <ul>
 *   <li><b>Rows</b> ({@code afterTask}, 0..T) count training steps: row 0 is the accuracy of the
 *       untrained model (b<sub>j</sub> in Lopez-Paz &amp; Ranzato 2017, needed for FWT); row k
 *       (1..T) is the accuracy after training the k-th task, i.e. the task with 0-based index
 *       k&minus;1. Row numbers are therefore the same as the 1-based row numbers of the papers.</li>
 *   <li><b>Columns</b> ({@code onTask}, 0..T&minus;1) are 0-based task indices. Task j of the
 *       papers (1-based) is column j&minus;1.</li>
 * </ul>
 * So the paper's R<sub>i,j</sub> is {@code get(i, j - 1)}; the accuracy on task k (0-based) right
 * after learning it is {@code get(k + 1, k)}, and its final accuracy is {@code get(T, k)}.
 *
 * <h2>Validity</h2>
 * Every cell must be set and lie in [0, 1]; NaN, infinities and values outside [0, 1] are
 * rejected. A matrix with a missing cell cannot be built ({@link Builder#build()} names the
 * missing cells), so metrics are never computed on a partial stream. {@code -0.0} is stored as
 * {@code 0.0}, so {@link #equals(Object)} is plain value equality.
 *
 * @see ClMetrics
 */
public final class AccuracyMatrix {

    /** Longest list of missing cells spelled out in a {@link Builder#build()} failure. */
    private static final int MAX_LISTED_MISSING = 20;

    private final int numTasks;
    /** Row-major, (numTasks + 1) * numTasks entries. */
    private final double[] cells;

    private AccuracyMatrix(int numTasks, double[] cells) {
        this.numTasks = numTasks;
        this.cells = cells;
    }

    /**
     * Starts an empty matrix for {@code numTasks} tasks; fill it with {@link Builder#set}.
     *
     * @param numTasks number of tasks T, at least 1
     * @return a builder with all (T+1)&times;T cells unset
     * @throws IllegalArgumentException if {@code numTasks < 1}
     */
    public static Builder builder(int numTasks) {
        return new Builder(numTasks);
    }

    /**
     * Builds a matrix from complete rows: {@code rows[0]} is the untrained model, {@code rows[k]}
     * the accuracies after training the k-th task. The array is copied.
     *
     * @param rows T+1 rows (T &ge; 1) of T accuracies each, every value in [0, 1]
     * @return the matrix
     * @throws NullPointerException if {@code rows} or one of its rows is null
     * @throws IllegalArgumentException if the shape is not (T+1)&times;T with T &ge; 1, or a value
     *     is NaN or outside [0, 1]
     */
    public static AccuracyMatrix ofRows(double[][] rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length < 2) {
            throw new IllegalArgumentException("accuracy matrix: needs T+1 >= 2 rows (row 0 = before"
                    + " training, then one row per task), got " + rows.length);
        }
        int t = rows.length - 1;
        double[] cells = new double[(t + 1) * t];
        for (int i = 0; i <= t; i++) {
            double[] row = rows[i];
            if (row == null) {
                throw new NullPointerException("accuracy matrix: row " + i + " is null");
            }
            if (row.length != t) {
                throw new IllegalArgumentException("accuracy matrix: row " + i + " has " + row.length
                        + " entries, expected " + t + " (" + rows.length + " rows => T = " + t + " tasks)");
            }
            for (int j = 0; j < t; j++) {
                cells[i * t + j] = checkedValue(i, j, row[j]);
            }
        }
        return new AccuracyMatrix(t, cells);
    }

    /** @return the number of tasks T (the matrix has T+1 rows and T columns) */
    public int numTasks() {
        return numTasks;
    }

    /**
     * Accuracy on task {@code onTask} after {@code afterTask} training steps.
     *
     * @param afterTask row: 0 = before any training, k (1..T) = after training the k-th task
     *     (0-based task index k&minus;1)
     * @param onTask 0-based index of the evaluated task, 0..T&minus;1
     * @return the accuracy in [0, 1]
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double get(int afterTask, int onTask) {
        checkIndices(numTasks, afterTask, onTask);
        return cells[afterTask * numTasks + onTask];
    }

    /** @return row 0: accuracy of the untrained model on each task (b<sub>j</sub>), length T */
    public double[] initialAccuracies() {
        return Arrays.copyOfRange(cells, 0, numTasks);
    }

    /**
     * The "during" accuracies of the protocol: element k is the accuracy on task k right after
     * training it, {@code get(k + 1, k)} (R<sub>k,k</sub> in the papers' 1-based notation).
     *
     * @return a new array of length T
     */
    public double[] duringAccuracies() {
        double[] d = new double[numTasks];
        for (int k = 0; k < numTasks; k++) {
            d[k] = get(k + 1, k);
        }
        return d;
    }

    /** @return row T: the "final" accuracy on each task after training all tasks, length T */
    public double[] finalAccuracies() {
        return Arrays.copyOfRange(cells, numTasks * numTasks, (numTasks + 1) * numTasks);
    }

    /** @return a deep copy as T+1 rows of T values, row 0 first; {@link #ofRows} inverts it */
    public double[][] toArray() {
        double[][] rows = new double[numTasks + 1][];
        for (int i = 0; i <= numTasks; i++) {
            rows[i] = Arrays.copyOfRange(cells, i * numTasks, (i + 1) * numTasks);
        }
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AccuracyMatrix)) {
            return false;
        }
        AccuracyMatrix other = (AccuracyMatrix) o;
        return numTasks == other.numTasks && Arrays.equals(cells, other.cells);
    }

    @Override
    public int hashCode() {
        return 31 * numTasks + Arrays.hashCode(cells);
    }

    /**
     * A fixed-width table, one line per row, four decimals per cell, for example:
     * <pre>
     * AccuracyMatrix T=2 (row 0 = before training, row k = after training task k; columns = 0-based tasks)
     * row       task 0  task 1
     * 0 init    0.1000  0.2000
     * 1         0.9000  0.3000
     * 2         0.7000  0.8000
     * </pre>
     */
    @Override
    public String toString() {
        int width = Math.max(8, ("task " + (numTasks - 1)).length() + 2);
        String rowLabelFormat = "%-" + Math.max(8, String.valueOf(numTasks).length() + 6) + "s";
        StringBuilder sb = new StringBuilder();
        sb.append("AccuracyMatrix T=").append(numTasks)
                .append(" (row 0 = before training, row k = after training task k; columns = 0-based tasks)")
                .append('\n');
        sb.append(String.format(Locale.ROOT, rowLabelFormat, "row"));
        for (int j = 0; j < numTasks; j++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "s", "task " + j));
        }
        for (int i = 0; i <= numTasks; i++) {
            sb.append('\n').append(String.format(Locale.ROOT, rowLabelFormat, i == 0 ? "0 init" : String.valueOf(i)));
            for (int j = 0; j < numTasks; j++) {
                sb.append(String.format(Locale.ROOT, "%" + width + ".4f", cells[i * numTasks + j]));
            }
        }
        return sb.toString();
    }

    private static void checkIndices(int numTasks, int row, int task) {
        if (row < 0 || row > numTasks) {
            throw new IndexOutOfBoundsException("accuracy matrix: row " + row + " outside 0.." + numTasks
                    + " (0 = before training, k = after training task k)");
        }
        if (task < 0 || task >= numTasks) {
            throw new IndexOutOfBoundsException("accuracy matrix: task " + task + " outside 0.." + (numTasks - 1)
                    + " (0-based task index)");
        }
    }

    private static double checkedValue(int row, int task, double acc) {
        if (Double.isNaN(acc)) {
            throw new IllegalArgumentException("accuracy matrix: R[" + row + "][" + task + "] is NaN");
        }
        if (!(acc >= 0.0 && acc <= 1.0)) {
            throw new IllegalArgumentException("accuracy matrix: R[" + row + "][" + task + "] = " + acc
                    + " is outside [0, 1]");
        }
        return acc + 0.0; // turns -0.0 into 0.0 so that equals/hashCode compare values
    }

    /**
     * Mutable builder, filled cell by cell while a run evaluates; not thread-safe. Each cell may
     * be set once: a second {@code set} of the same cell is an evaluation-loop bug (usually a
     * wrong row) and fails. There is deliberately no partial build; use {@link #rowsCompleted()}
     * to see how far a run got.
     */
    public static final class Builder {
        private final int numTasks;
        private final double[] cells;
        private final boolean[] isSet;

        private Builder(int numTasks) {
            if (numTasks < 1) {
                throw new IllegalArgumentException("accuracy matrix: numTasks must be >= 1, got " + numTasks);
            }
            this.numTasks = numTasks;
            this.cells = new double[(numTasks + 1) * numTasks];
            this.isSet = new boolean[cells.length];
        }

        /** @return the number of tasks T this builder was created for */
        public int numTasks() {
            return numTasks;
        }

        /**
         * Records one accuracy.
         *
         * @param row 0 = before training, k (1..T) = after training the k-th task
         * @param task 0-based index of the evaluated task, 0..T&minus;1
         * @param acc accuracy in [0, 1] (NaN rejected)
         * @return this builder
         * @throws IndexOutOfBoundsException if an index is out of range
         * @throws IllegalArgumentException if {@code acc} is NaN or outside [0, 1]
         * @throws IllegalStateException if the cell was already set
         */
        public Builder set(int row, int task, double acc) {
            checkIndices(numTasks, row, task);
            double value = checkedValue(row, task, acc);
            int idx = row * numTasks + task;
            if (isSet[idx]) {
                throw new IllegalStateException("accuracy matrix: R[" + row + "][" + task + "] already set to "
                        + cells[idx] + " (new value " + acc + ")");
            }
            cells[idx] = value;
            isSet[idx] = true;
            return this;
        }

        /**
         * Number of leading complete rows: 0 when row 0 still has a gap, k+1 when rows 0..k are
         * complete (so k tasks have been trained and fully evaluated), T+1 when the matrix is
         * complete. Cells set in later rows do not count until every earlier row is complete.
         *
         * @return a value in 0..T+1
         */
        public int rowsCompleted() {
            for (int i = 0; i <= numTasks; i++) {
                for (int j = 0; j < numTasks; j++) {
                    if (!isSet[i * numTasks + j]) {
                        return i;
                    }
                }
            }
            return numTasks + 1;
        }

        /**
         * Builds the immutable matrix; the builder stays usable but every cell is already set.
         *
         * @return the matrix
         * @throws IllegalStateException if any cell is unset; the message lists the missing cells
         *     as {@code R[row][task]} (row as in {@link #set}, 0-based task), for example
         *     {@code "accuracy matrix: missing R[3][1]"}
         */
        public AccuracyMatrix build() {
            List<String> missing = new ArrayList<>();
            int missingCount = 0;
            for (int i = 0; i <= numTasks; i++) {
                for (int j = 0; j < numTasks; j++) {
                    if (!isSet[i * numTasks + j]) {
                        missingCount++;
                        if (missing.size() < MAX_LISTED_MISSING) {
                            missing.add("R[" + i + "][" + j + "]");
                        }
                    }
                }
            }
            if (missingCount > 0) {
                String more = missingCount > missing.size()
                        ? ", ... (" + missingCount + " of " + cells.length + " cells missing)"
                        : "";
                throw new IllegalStateException("accuracy matrix: missing " + String.join(", ", missing) + more);
            }
            return new AccuracyMatrix(numTasks, cells.clone());
        }
    }
}
