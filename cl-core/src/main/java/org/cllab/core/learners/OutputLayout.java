package org.cllab.core.learners;

import java.util.EnumSet;
import java.util.Set;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a classifier's output units map to labels, fixed by the training mode:
 * <ul>
 *   <li>class-incremental: one unit per scenario-wide class; a sample's target is its class label;</li>
 *   <li>task-incremental: one head of {@code localClasses} units per task (multi-head); training and prediction
 *       use only the head of the sample's task;</li>
 *   <li>domain-incremental: one shared head of {@code localClasses} units; targets are local labels.</li>
 * </ul>
 * A class-incremental model can also be evaluated task-incrementally (argmax over the task's classes).
 */
public final class OutputLayout {
    private final Mode mode;
    private final int numOutputs;
    private final int headSize;

    private OutputLayout(Mode mode, int numOutputs, int headSize) {
        this.mode = mode;
        this.numOutputs = numOutputs;
        this.headSize = headSize;
    }

    public static OutputLayout of(ScenarioInfo s, Mode trainingMode) {
        return switch (trainingMode) {
            case CLASS_INCREMENTAL -> new OutputLayout(trainingMode, s.numClasses(), s.numClasses());
            case TASK_INCREMENTAL -> new OutputLayout(trainingMode, s.numTasks() * s.localClasses(), s.localClasses());
            case DOMAIN_INCREMENTAL -> new OutputLayout(trainingMode, s.localClasses(), s.localClasses());
        };
    }

    /** Evaluation modes a model trained in {@code trainingMode} supports with this layout. */
    public static Set<Mode> evaluationModes(Mode trainingMode) {
        return switch (trainingMode) {
            case CLASS_INCREMENTAL -> EnumSet.of(Mode.CLASS_INCREMENTAL, Mode.TASK_INCREMENTAL);
            case TASK_INCREMENTAL -> EnumSet.of(Mode.TASK_INCREMENTAL);
            case DOMAIN_INCREMENTAL -> EnumSet.of(Mode.DOMAIN_INCREMENTAL);
        };
    }

    public Mode trainingMode() {
        return mode;
    }

    public int numOutputs() {
        return numOutputs;
    }

    /** Whether training restricts each sample to its task's head. */
    public boolean masksHeads() {
        return mode == Mode.TASK_INCREMENTAL;
    }

    /** Output unit a training sample of {@code task} must activate. */
    public int target(int taskIndex, int classLabel, int localLabel) {
        return switch (mode) {
            case CLASS_INCREMENTAL -> classLabel;
            case TASK_INCREMENTAL -> taskIndex * headSize + localLabel;
            case DOMAIN_INCREMENTAL -> localLabel;
        };
    }

    /** Output unit of every row of a training minibatch. */
    public int[] targets(Minibatch b) {
        int[] t = new int[b.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = target(b.tasks()[i], b.classLabels()[i], b.localLabels()[i]);
        }
        return t;
    }

    /** The training mask of a minibatch: its rows' heads when training is multi-head, otherwise null (all outputs). */
    public INDArray trainingMask(Minibatch b) {
        return masksHeads() ? headMask(b.tasks()) : null;
    }

    /** 0/1 mask {@code [n, outputs]} allowing each row only its task's head (task-incremental training). */
    public INDArray headMask(int[] taskOfRow) {
        int n = taskOfRow.length;
        float[] m = new float[n * numOutputs];
        for (int i = 0; i < n; i++) {
            int from = taskOfRow[i] * headSize;
            for (int j = 0; j < headSize; j++) {
                m[i * numOutputs + from + j] = 1f;
            }
        }
        return Nd4j.create(m, new long[] {n, numOutputs}, DataType.FLOAT);
    }

    /** Class-incremental prediction: argmax over all units, i.e. the class label. */
    public int[] predictClass(INDArray logits) {
        if (mode != Mode.CLASS_INCREMENTAL) {
            throw new IllegalStateException("class-incremental prediction needs a class-incremental output layout");
        }
        return argmax(logits, null);
    }

    /** Task-incremental prediction: local label within {@code task}. */
    public int[] predictInTask(INDArray logits, TaskInfo task) {
        int[] cols;
        if (mode == Mode.TASK_INCREMENTAL) {
            cols = new int[headSize];
            for (int j = 0; j < headSize; j++) {
                cols[j] = task.index() * headSize + j;
            }
        } else if (mode == Mode.CLASS_INCREMENTAL) {
            cols = task.classes();
        } else {
            throw new IllegalStateException("task-incremental prediction is not defined for a " + mode + " layout");
        }
        return argmax(logits, cols);
    }

    /** Domain-incremental prediction: argmax of the shared head. */
    public int[] predictLocal(INDArray logits) {
        if (mode != Mode.DOMAIN_INCREMENTAL) {
            throw new IllegalStateException("domain-incremental prediction needs a domain-incremental layout");
        }
        return argmax(logits, null);
    }

    /** Row-wise argmax over {@code cols} (all columns when null); returns the position within {@code cols}. */
    static int[] argmax(INDArray logits, int[] cols) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        float[] v = logits.dup('c').data().asFloat();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            float bestV = Float.NEGATIVE_INFINITY;
            int m = cols == null ? k : cols.length;
            for (int j = 0; j < m; j++) {
                float x = v[i * k + (cols == null ? j : cols[j])];
                if (x > bestV) {
                    bestV = x;
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
