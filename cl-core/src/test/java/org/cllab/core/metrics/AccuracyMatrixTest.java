package org.cllab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AccuracyMatrixTest {

    /** T = 2: rows 0 (untrained), 1 (after task 1), 2 (after task 2). */
    private static AccuracyMatrix.Builder twoTaskBuilderMissing(int skipRow, int skipTask) {
        double[][] v = {{0.1, 0.2}, {0.9, 0.3}, {0.7, 0.8}};
        AccuracyMatrix.Builder b = AccuracyMatrix.builder(2);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                if (i != skipRow || j != skipTask) {
                    b.set(i, j, v[i][j]);
                }
            }
        }
        return b;
    }

    @Test
    void getUsesRowForTrainingStepAndZeroBasedTask() {
        AccuracyMatrix r = twoTaskBuilderMissing(-1, -1).build();
        assertEquals(2, r.numTasks());
        assertEquals(0.1, r.get(0, 0));      // untrained, task 0
        assertEquals(0.3, r.get(1, 1));      // after training the 1st task, on task 1 (not yet trained)
        assertEquals(0.8, r.get(2, 1));      // after training the 2nd task, on task 1
        assertArrayEquals(new double[] {0.1, 0.2}, r.initialAccuracies());
        assertArrayEquals(new double[] {0.9, 0.8}, r.duringAccuracies()); // get(1,0), get(2,1)
        assertArrayEquals(new double[] {0.7, 0.8}, r.finalAccuracies());  // row 2
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(0, 2));
    }

    @Test
    void buildNamesTheMissingCell() {
        // T = 3, everything set except R[3][1] (row 3 = after the 3rd task, 0-based task 1).
        AccuracyMatrix.Builder b = AccuracyMatrix.builder(3);
        for (int i = 0; i <= 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (!(i == 3 && j == 1)) {
                    b.set(i, j, 0.5);
                }
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertEquals("accuracy matrix: missing R[3][1]", e.getMessage());
    }

    @Test
    void buildListsSeveralMissingCellsAndTruncatesLongLists() {
        AccuracyMatrix.Builder b = twoTaskBuilderMissing(0, 1);
        IllegalStateException one = assertThrows(IllegalStateException.class, b::build);
        assertEquals("accuracy matrix: missing R[0][1]", one.getMessage());

        IllegalStateException all = assertThrows(IllegalStateException.class,
                () -> AccuracyMatrix.builder(2).set(1, 0, 0.5).build());
        assertEquals("accuracy matrix: missing R[0][0], R[0][1], R[1][1], R[2][0], R[2][1]", all.getMessage());

        // 10 tasks => 110 cells, none set: 20 listed, then the count.
        IllegalStateException many = assertThrows(IllegalStateException.class,
                () -> AccuracyMatrix.builder(10).build());
        assertTrue(many.getMessage().startsWith("accuracy matrix: missing R[0][0], R[0][1]"), many.getMessage());
        assertTrue(many.getMessage().endsWith("(110 of 110 cells missing)"), many.getMessage());
    }

    @Test
    void rowsCompletedCountsLeadingCompleteRows() {
        AccuracyMatrix.Builder b = AccuracyMatrix.builder(2);
        assertEquals(2, b.numTasks());
        assertEquals(0, b.rowsCompleted());
        b.set(0, 0, 0.1);
        assertEquals(0, b.rowsCompleted());
        b.set(0, 1, 0.2);
        assertEquals(1, b.rowsCompleted());
        b.set(2, 0, 0.7);                 // a later row does not count while row 1 has gaps
        assertEquals(1, b.rowsCompleted());
        b.set(1, 0, 0.9).set(1, 1, 0.3);
        assertEquals(2, b.rowsCompleted());
        b.set(2, 1, 0.8);
        assertEquals(3, b.rowsCompleted()); // T + 1: complete
        assertEquals(twoTaskBuilderMissing(-1, -1).build(), b.build());
    }

    @Test
    void builderRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> AccuracyMatrix.builder(0));
        AccuracyMatrix.Builder b = AccuracyMatrix.builder(2);
        assertThrows(IndexOutOfBoundsException.class, () -> b.set(3, 0, 0.5));
        assertThrows(IndexOutOfBoundsException.class, () -> b.set(0, 2, 0.5));
        assertThrows(IndexOutOfBoundsException.class, () -> b.set(-1, 0, 0.5));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> b.set(1, 0, Double.NaN));
        assertEquals("accuracy matrix: R[1][0] is NaN", nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.set(1, 0, 1.0000001));
        assertThrows(IllegalArgumentException.class, () -> b.set(1, 0, -0.1));
        assertThrows(IllegalArgumentException.class, () -> b.set(1, 0, Double.POSITIVE_INFINITY));
        b.set(1, 0, 0.9);
        IllegalStateException dup = assertThrows(IllegalStateException.class, () -> b.set(1, 0, 0.8));
        assertTrue(dup.getMessage().contains("R[1][0] already set"), dup.getMessage());
        assertEquals(0, b.rowsCompleted()); // failed calls changed nothing else
    }

    @Test
    void ofRowsValidatesShapeAndValues() {
        assertThrows(NullPointerException.class, () -> AccuracyMatrix.ofRows(null));
        assertThrows(IllegalArgumentException.class, () -> AccuracyMatrix.ofRows(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> AccuracyMatrix.ofRows(new double[][] {{0.5}}));
        // 3 rows => T = 2, but rows have 3 entries (a T x T matrix without row 0 looks like this)
        IllegalArgumentException square = assertThrows(IllegalArgumentException.class,
                () -> AccuracyMatrix.ofRows(new double[][] {{.1, .2, .3}, {.1, .2, .3}, {.1, .2, .3}}));
        assertTrue(square.getMessage().contains("row 0 has 3 entries, expected 2"), square.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyMatrix.ofRows(new double[][] {{.1, .2}, {.1}, {.1, .2}}));
        assertThrows(NullPointerException.class,
                () -> AccuracyMatrix.ofRows(new double[][] {{.1, .2}, null, {.1, .2}}));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> AccuracyMatrix.ofRows(new double[][] {{.1, .2}, {.1, .2}, {.1, Double.NaN}}));
        assertEquals("accuracy matrix: R[2][1] is NaN", nan.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> AccuracyMatrix.ofRows(new double[][] {{.1, .2}, {1.5, .2}, {.1, .2}}));
        assertEquals("accuracy matrix: R[1][0] = 1.5 is outside [0, 1]", big.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyMatrix.ofRows(new double[][] {{.1, .2}, {.1, .2}, {-0.01, .2}}));
        // the bounds themselves are valid
        AccuracyMatrix.ofRows(new double[][] {{0.0, 1.0}, {1.0, 0.0}, {0.0, 1.0}});
    }

    @Test
    void ofRowsAndToArrayCopy() {
        double[][] rows = {{0.1, 0.2}, {0.9, 0.3}, {0.7, 0.8}};
        AccuracyMatrix r = AccuracyMatrix.ofRows(rows);
        rows[1][0] = 0.0;                       // caller's array changes after construction
        assertEquals(0.9, r.get(1, 0));
        double[][] out = r.toArray();
        assertArrayEquals(new double[][] {{0.1, 0.2}, {0.9, 0.3}, {0.7, 0.8}}, out);
        out[2][1] = 0.0;                        // the copy is deep
        assertEquals(0.8, r.get(2, 1));
        assertEquals(r, AccuracyMatrix.ofRows(r.toArray()));
        double[] fin = r.finalAccuracies();
        fin[0] = 0.0;
        assertEquals(0.7, r.get(2, 0));
    }

    @Test
    void equalsAndHashCodeCompareValues() {
        AccuracyMatrix a = AccuracyMatrix.ofRows(new double[][] {{0.0, 0.2}, {0.9, 0.3}, {0.7, 0.8}});
        AccuracyMatrix b = AccuracyMatrix.builder(2)
                .set(0, 0, -0.0).set(0, 1, 0.2)   // -0.0 is stored as 0.0
                .set(1, 0, 0.9).set(1, 1, 0.3)
                .set(2, 0, 0.7).set(2, 1, 0.8)
                .build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, AccuracyMatrix.ofRows(new double[][] {{0.0, 0.2}, {0.9, 0.3}, {0.7, 0.81}}));
        assertNotEquals(AccuracyMatrix.ofRows(new double[][] {{0.5}, {0.5}}),
                AccuracyMatrix.ofRows(new double[][] {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}}));
        assertNotEquals(a, null);
        assertNotEquals(a, "matrix");
    }

    @Test
    void toStringIsAFixedWidthTable() {
        AccuracyMatrix r = AccuracyMatrix.ofRows(new double[][] {{0.1, 0.2}, {0.9, 0.3}, {0.7, 0.8}});
        String expected = String.join("\n",
                "AccuracyMatrix T=2 (row 0 = before training, row k = after training task k; columns = 0-based tasks)",
                "row       task 0  task 1",
                "0 init    0.1000  0.2000",
                "1         0.9000  0.3000",
                "2         0.7000  0.8000");
        assertEquals(expected, r.toString());
        // every table line has the same width
        String[] lines = r.toString().split("\n");
        for (int i = 2; i < lines.length; i++) {
            assertEquals(lines[1].length(), lines[i].length(), lines[i]);
        }
    }
}
