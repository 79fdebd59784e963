package org.cllab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products with c-order results. ND4J's {@code INDArray.mmul} returns an f-order array, which every later
 * c-order reshape, row view or {@code dup('c')} then copies; BLAS writes a c-order result as cheaply, so the hot
 * loops multiply through here.
 */
public final class Gemm {
    private Gemm() {
    }

    /** {@code op(a) op(b)} as a new c-order array (in the current workspace, if any). */
    public static INDArray product(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        long rows = transposeA ? a.size(1) : a.size(0);
        long cols = transposeB ? b.size(0) : b.size(1);
        INDArray c = Nd4j.createUninitialized(a.dataType(), rows, cols);
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
        return c;
    }

    /** {@code a b} as a new c-order array. */
    public static INDArray product(INDArray a, INDArray b) {
        return product(a, b, false, false);
    }

    /**
     * {@code c += op(a) op(b)} in place ({@code c} c-order, contiguous). Bit-identical to adding the product
     * separately when {@code c} holds zeros; otherwise the sum is rounded once instead of twice.
     */
    public static void accumulate(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 1.0);
    }
}
