package org.cllab.hypernets.generators.icmlora;

import org.cllab.core.data.TaskData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ICM-LoRA's in-context task vector: the mean last-hidden-layer activation of a model over a few of the task's
 * training samples, computed with the base model alone (usable for a task that has no adapter yet) or, as the
 * reference does, with the task's adapted model.
 */
public final class TaskVectors {
    /** Which model computes the task vector ({@code learner.icm_lora.task_vector}). */
    public enum Source {
        /** The frozen base network: available for a new task before any adapter exists. */
        BASE,
        /** The base plus the task's trained adapter (the reference's choice). */
        ADAPTED
    }

    private TaskVectors() {
    }

    /** Rows {@code idx} of {@code data} as a float matrix. */
    public static INDArray rows(TaskData data, int[] idx) {
        int d = data.featureDim();
        float[] f = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) {
            data.copyFeatures(idx[i], f, i * d);
        }
        return Nd4j.create(f, new long[] {idx.length, d}, DataType.FLOAT);
    }

    /** The mean last-hidden activation of {@code model} (with or without its current adapter) over {@code x}. */
    public static float[] compute(LoraMlp model, INDArray x, boolean adapter) {
        return model.lastHiddenActivations(x, adapter).mean(0).castTo(DataType.FLOAT).toFloatVector();
    }

    /**
     * The condition fed to the generator: the task vector scaled to unit root-mean-square (our reconstruction: the
     * raw ReLU means have an arbitrary scale that would saturate the condition layer's tanh).
     */
    public static float[] condition(float[] taskVector) {
        double ss = 0;
        for (float v : taskVector) {
            ss += v * v;
        }
        double rms = Math.sqrt(ss / taskVector.length);
        float[] c = new float[taskVector.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (taskVector[i] / Math.max(rms, 1e-12));
        }
        return c;
    }
}
