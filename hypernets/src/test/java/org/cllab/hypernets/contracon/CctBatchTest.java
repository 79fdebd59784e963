package org.cllab.hypernets.contracon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The MNIST-scale CCT answers every sample of a batch as it answers that sample alone (no reshape or permute mixes
 * samples: checked while looking for why seed 0's second task stayed at chance; it was the schedule).
 */
class CctBatchTest {
    @Test
    void logitsOfASampleDoNotDependOnTheBatch() {
        CctShape s = new CctShape(1, 28, 28, 2, 16, 64, 4, 2, 2, false, 2, 3, CctShape.Skip.GATED);
        Rng rng = new Rng(3);
        Map<String, INDArray> all = new HashMap<>(CctParams.initShared(s, rng, DataType.DOUBLE));
        all.putAll(CctParams.initTask(s, false, null, rng, DataType.DOUBLE));
        for (INDArray a : all.values()) {
            a.addi(CctParams.normal(rng, 0.3, DataType.DOUBLE, a.shape()));
        }
        SameDiff sd = CctGraph.build(s, Map.of(), all, false, DataType.DOUBLE);
        int n = 5;
        INDArray x = CctParams.uniform(rng, 1.0, DataType.DOUBLE, n, 784).addi(1).divi(2);
        INDArray batch = sd.output(Map.of(CctGraph.X, x), CctGraph.LOGITS).get(CctGraph.LOGITS).dup();
        for (int i = 0; i < n; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
            INDArray li = sd.output(Map.of(CctGraph.X, xi), CctGraph.LOGITS).get(CctGraph.LOGITS).dup();
            for (int c = 0; c < 2; c++) {
                assertEquals(li.getDouble(0, c), batch.getDouble(i, c), 1e-9, "sample " + i);
            }
        }
    }

    /** Tokenizer and encoder as two evaluation graphs give the whole graph's logits bit for bit. */
    @Test
    void splitEvaluationGraphsGiveTheSameLogits() {
        for (boolean reweight : new boolean[] {false, true}) {
            CctShape s = new CctShape(1, 28, 28, 2, 16, 64, 4, 2, 2, false, 2, 3, CctShape.Skip.GATED);
            Rng rng = new Rng(4);
            Map<String, INDArray> all = new HashMap<>(CctParams.initShared(s, rng, DataType.FLOAT));
            all.putAll(CctParams.initTask(s, reweight, null, rng, DataType.FLOAT));
            INDArray x = CctParams.uniform(rng, 1.0, DataType.FLOAT, 7, 784).addi(1).divi(2);
            SameDiff whole = CctGraph.build(s, Map.of(), all, reweight, DataType.FLOAT);
            float[] expected = whole.output(Map.of(CctGraph.X, x), CctGraph.LOGITS).get(CctGraph.LOGITS).dup()
                    .data().asFloat();
            INDArray tokens = CctGraph.tokenizer(s, all, DataType.FLOAT).output(Map.of(CctGraph.X, x), CctGraph.TOKENS)
                    .get(CctGraph.TOKENS).dup();
            float[] split = CctGraph.encoder(s, all, reweight, DataType.FLOAT).output(Map.of(CctGraph.TOKENS, tokens),
                    CctGraph.LOGITS).get(CctGraph.LOGITS).dup().data().asFloat();
            assertArrayEquals(expected, split, "reweight " + reweight);
        }
    }
}
