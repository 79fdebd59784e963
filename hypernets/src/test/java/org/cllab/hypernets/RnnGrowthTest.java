package org.cllab.hypernets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Growth of the RNN hypernetwork leaves the weights generated for earlier tasks unchanged (issue 4, acceptance 3:
 * max abs difference <= 1e-6), and the new units do change what a trained network generates once their outgoing
 * weights move away from zero (so the test is not vacuous).
 */
class RnnGrowthTest {
    @Test
    void growthKeepsEarlierTasksWeights() {
        Rng rng = new Rng(11);
        // realistic size: a 784-100-100-10 target (89,610 weights) in chunks of 750 = 120 LSTM steps
        RnnHyperNetwork h = new RnnHyperNetwork(89_610, 8, 8, 80, 750, rng);
        float[] e = new float[5 * 8];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) rng.nextGaussian();
        }
        INDArray emb = Nd4j.create(e, new long[] {5, 8}, DataType.FLOAT);
        INDArray before = h.weights(emb);
        long paramsBefore = h.numSharedParams();
        h.grow(16, rng);
        assertEquals(96, h.hiddenSize());
        assertTrue(h.numSharedParams() > paramsBefore);
        INDArray after = h.weights(emb);
        double maxDiff = Transforms.abs(after.sub(before)).maxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-6, "max abs difference after growth " + maxDiff);

        // moving the new units' read-out rows away from zero must change the generated weights
        INDArray wo = h.sharedParams().get(3).reshape(96, 750);
        wo.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(80, 96), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .assign(0.05);
        double moved = Transforms.abs(h.weights(emb).sub(before)).maxNumber().doubleValue();
        assertTrue(moved > 1e-3, "new units are wired to the output: " + moved);
    }
}
