package org.cllab.core.learners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Output layouts of a 3 tasks x 2 classes scenario. The class order is deliberately not 0..5 (task 0 holds
 * classes 4 and 1, task 1 classes 0 and 5, task 2 classes 3 and 2) so that class labels, local labels and head
 * positions cannot be confused.
 */
class OutputLayoutTest {
    private static final TaskInfo T0 = new TaskInfo(0, "classes 4,1", new int[] {4, 1});
    private static final TaskInfo T1 = new TaskInfo(1, "classes 0,5", new int[] {0, 5});
    private static final TaskInfo T2 = new TaskInfo(2, "classes 3,2", new int[] {3, 2});
    private static final ScenarioInfo INFO = new ScenarioInfo("toy", List.of(T0, T1, T2), 8, new int[] {1, 1, 8}, 6, 2);

    private static INDArray rows(float[]... rows) {
        int k = rows[0].length;
        float[] flat = new float[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * k, k);
        }
        return Nd4j.create(flat, new long[] {rows.length, k}, DataType.FLOAT);
    }

    @Test
    void numberOfOutputsPerMode() {
        assertEquals(6, OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL).numOutputs());
        assertEquals(6, OutputLayout.of(INFO, Mode.TASK_INCREMENTAL).numOutputs());
        assertEquals(2, OutputLayout.of(INFO, Mode.DOMAIN_INCREMENTAL).numOutputs());
        ScenarioInfo wide = new ScenarioInfo("wide", List.of(T0, T1, T2), 8, new int[] {1, 1, 8}, 10, 3);
        assertEquals(10, OutputLayout.of(wide, Mode.CLASS_INCREMENTAL).numOutputs());
        assertEquals(9, OutputLayout.of(wide, Mode.TASK_INCREMENTAL).numOutputs());
        assertEquals(3, OutputLayout.of(wide, Mode.DOMAIN_INCREMENTAL).numOutputs());
    }

    @Test
    void onlyTaskIncrementalMasksHeads() {
        assertTrue(OutputLayout.of(INFO, Mode.TASK_INCREMENTAL).masksHeads());
        assertFalse(OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL).masksHeads());
        assertFalse(OutputLayout.of(INFO, Mode.DOMAIN_INCREMENTAL).masksHeads());
        for (Mode m : Mode.values()) {
            assertEquals(m, OutputLayout.of(INFO, m).trainingMode());
        }
    }

    @Test
    void targets() {
        OutputLayout cil = OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL);
        OutputLayout til = OutputLayout.of(INFO, Mode.TASK_INCREMENTAL);
        OutputLayout dil = OutputLayout.of(INFO, Mode.DOMAIN_INCREMENTAL);
        // task 1, class 5, local label 1
        assertEquals(5, cil.target(1, 5, 1));
        assertEquals(3, til.target(1, 5, 1));
        assertEquals(1, dil.target(1, 5, 1));
        // task 2, class 3, local label 0
        assertEquals(3, cil.target(2, 3, 0));
        assertEquals(4, til.target(2, 3, 0));
        assertEquals(0, dil.target(2, 3, 0));
        // task 0, class 1, local label 1
        assertEquals(1, cil.target(0, 1, 1));
        assertEquals(1, til.target(0, 1, 1));
        assertEquals(1, dil.target(0, 1, 1));
    }

    @Test
    void headMaskAllowsOnlyTheRowsTaskHead() {
        INDArray mask = OutputLayout.of(INFO, Mode.TASK_INCREMENTAL).headMask(new int[] {2, 0, 1, 2});
        assertArrayEquals(new long[] {4, 6}, mask.shape());
        assertArrayEquals(new float[] {
            0, 0, 0, 0, 1, 1,
            1, 1, 0, 0, 0, 0,
            0, 0, 1, 1, 0, 0,
            0, 0, 0, 0, 1, 1}, mask.dup('c').data().asFloat(), 0f);
    }

    @Test
    void predictInTaskWithMultiHeadLayoutUsesTheTasksHead() {
        OutputLayout til = OutputLayout.of(INFO, Mode.TASK_INCREMENTAL);
        // heads: task 0 = units 0,1; task 1 = units 2,3; task 2 = units 4,5
        INDArray logits = rows(
                new float[] {9, 0, 1, 2, 0.5f, 0},
                new float[] {0, 9, 5, 3, -1, 2},
                new float[] {1, 2, -1, -2, -1, -3});
        assertArrayEquals(new int[] {0, 1, 1}, til.predictInTask(logits, T0));
        assertArrayEquals(new int[] {1, 0, 0}, til.predictInTask(logits, T1));
        assertArrayEquals(new int[] {0, 1, 0}, til.predictInTask(logits, T2));
    }

    /** Logits over class labels 0..5 used by the single-head tests. */
    private static INDArray classLogits() {
        return rows(
                new float[] {0, 0.5f, 3, 9, 1, 7},
                new float[] {8, 1, 0.5f, 0, 2, 0.25f},
                new float[] {0, 5, 0.1f, 0, 4, -1});
    }

    @Test
    void predictInTaskWithSingleHeadLayoutRestrictsToTheTasksClasses() {
        OutputLayout cil = OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL);
        INDArray logits = classLogits();
        // the answer is the position within task.classes(), not the class label and not the column
        assertArrayEquals(new int[] {0, 0, 1}, cil.predictInTask(logits, T0)); // classes {4, 1}
        assertArrayEquals(new int[] {1, 0, 0}, cil.predictInTask(logits, T1)); // classes {0, 5}
        assertArrayEquals(new int[] {0, 1, 1}, cil.predictInTask(logits, T2)); // classes {3, 2}
    }

    @Test
    void predictClassIsGlobalArgmaxOverClassLabels() {
        OutputLayout cil = OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL);
        assertArrayEquals(new int[] {3, 0, 1}, cil.predictClass(classLogits()));
        INDArray negative = rows(new float[] {-5, -4, -3, -2, -1, -0.5f});
        assertArrayEquals(new int[] {5}, cil.predictClass(negative));
    }

    @Test
    void predictLocalIsArgmaxOfSharedHead() {
        OutputLayout dil = OutputLayout.of(INFO, Mode.DOMAIN_INCREMENTAL);
        INDArray logits = rows(new float[] {0.2f, 0.1f}, new float[] {-3, 4});
        assertArrayEquals(new int[] {0, 1}, dil.predictLocal(logits));
    }

    @Test
    void argmaxReadsNonContiguousLogitsCorrectly() {
        OutputLayout cil = OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL);
        // a [6, 2] matrix transposed into a [2, 6] view
        INDArray t = rows(
                new float[] {0, 8}, new float[] {0, 1}, new float[] {3, 0},
                new float[] {9, 0}, new float[] {0, 2}, new float[] {7, 0}).transpose();
        assertArrayEquals(new int[] {3, 0}, cil.predictClass(t));
    }

    @Test
    void predictionsOutsideTheLayoutsModesAreRejected() {
        INDArray logits6 = Nd4j.zeros(DataType.FLOAT, 1, 6);
        INDArray logits2 = Nd4j.zeros(DataType.FLOAT, 1, 2);
        assertThrows(IllegalStateException.class,
                () -> OutputLayout.of(INFO, Mode.TASK_INCREMENTAL).predictClass(logits6));
        assertThrows(IllegalStateException.class,
                () -> OutputLayout.of(INFO, Mode.DOMAIN_INCREMENTAL).predictClass(logits2));
        assertThrows(IllegalStateException.class,
                () -> OutputLayout.of(INFO, Mode.DOMAIN_INCREMENTAL).predictInTask(logits2, T0));
        assertThrows(IllegalStateException.class,
                () -> OutputLayout.of(INFO, Mode.CLASS_INCREMENTAL).predictLocal(logits6));
        assertThrows(IllegalStateException.class,
                () -> OutputLayout.of(INFO, Mode.TASK_INCREMENTAL).predictLocal(logits6));
    }

    @Test
    void evaluationModesPerTrainingMode() {
        assertEquals(EnumSet.of(Mode.CLASS_INCREMENTAL, Mode.TASK_INCREMENTAL),
                OutputLayout.evaluationModes(Mode.CLASS_INCREMENTAL));
        assertEquals(EnumSet.of(Mode.TASK_INCREMENTAL), OutputLayout.evaluationModes(Mode.TASK_INCREMENTAL));
        assertEquals(EnumSet.of(Mode.DOMAIN_INCREMENTAL), OutputLayout.evaluationModes(Mode.DOMAIN_INCREMENTAL));
    }
}
