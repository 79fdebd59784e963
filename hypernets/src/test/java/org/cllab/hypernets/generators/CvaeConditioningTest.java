package org.cllab.hypernets.generators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.nn.Adam;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ICM-LoRA's use of the CVAE: several "tasks", each a cloud of rows (checkpoints) around its own random target,
 * conditioned on vectors as alike as the Rotated-MNIST task vectors (cosine about 0.9). After training, decoding the
 * prior mean z = 0 under a task's condition gives about the mean of that task's rows (what the learner's generated
 * adapter is, hence its kept checkpoints must come from a converged training), far from the other tasks' means.
 */
class CvaeConditioningTest {
    private static final int DIM = 24;
    private static final int COND = 10;
    private static final int TASKS = 3;
    private static final int ROWS = 8;

    private static double mse(INDArray a, INDArray b) {
        INDArray d = a.sub(b);
        return d.mul(d).meanNumber().doubleValue();
    }

    @Test
    void decodingTheLatentPriorMeanGivesTheConditionsRowMean() {
        Rng rng = new Rng(11);
        float[] base = new float[COND];
        for (int i = 0; i < COND; i++) {
            base[i] = (float) (1 + rng.nextGaussian());
        }
        float[][] cond = new float[TASKS][COND];
        INDArray x = Nd4j.create(DataType.FLOAT, TASKS * ROWS, DIM);
        INDArray c = Nd4j.create(DataType.FLOAT, TASKS * ROWS, COND);
        INDArray means = Nd4j.create(DataType.FLOAT, TASKS, DIM);
        for (int k = 0; k < TASKS; k++) {
            for (int i = 0; i < COND; i++) {
                cond[k][i] = (float) (base[i] + 0.4 * rng.nextGaussian());
            }
            float[] target = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                target[i] = (float) rng.nextGaussian();
            }
            for (int r = 0; r < ROWS; r++) {
                float[] row = new float[DIM];
                for (int i = 0; i < DIM; i++) {
                    row[i] = (float) (target[i] + 0.15 * rng.nextGaussian());
                }
                x.putRow(k * ROWS + r, Nd4j.create(row, new long[] {1, DIM}, DataType.FLOAT));
                c.putRow(k * ROWS + r, Nd4j.create(cond[k], new long[] {1, COND}, DataType.FLOAT));
            }
            means.putRow(k, x.get(NDArrayIndex.interval(k * ROWS, (k + 1) * ROWS), NDArrayIndex.all()).mean(0)
                    .reshape(1, DIM));
        }
        Cvae vae = new Cvae(DIM, COND, 8, 32, 4, 0.005, DataType.FLOAT);
        vae.init(rng);
        Adam adam = new Adam(vae.params().size(), 0.003);
        for (int s = 0; s < 1500; s++) {
            float[] eps = new float[TASKS * ROWS * 4];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = (float) rng.nextGaussian();
            }
            vae.lossAndGradient(x, c, Nd4j.create(eps, new long[] {TASKS * ROWS, 4}, DataType.FLOAT));
            adam.step(vae.params().values(), vae.params().gradients());
        }
        for (int k = 0; k < TASKS; k++) {
            INDArray g = vae.decode(Nd4j.zeros(DataType.FLOAT, 1, 4),
                    Nd4j.create(cond[k], new long[] {1, COND}, DataType.FLOAT));
            double own = mse(g, means.getRow(k).reshape(1, DIM));
            assertTrue(own < 0.05, "task " + k + ": MSE of the z = 0 decoding to its row mean " + own);
            for (int o = 0; o < TASKS; o++) {
                if (o != k) {
                    double other = mse(g, means.getRow(o).reshape(1, DIM));
                    assertTrue(other > 10 * own, "task " + k + " decodes close to task " + o + "'s mean: " + other
                            + " vs " + own);
                }
            }
        }
    }
}
