package org.cllab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products without ND4J's extra copies. {@code INDArray.mmul} runs BLAS into an f-order (column-major) buffer
 * and then copies it into a new c-order array; {@code a.transpose().mmul(b)} and {@code assign} into a gradient view
 * copy once more. {@link #product} returns the f-order BLAS result itself: the same values bit for bit (BLAS computes
 * it the same way whatever the inputs' orders), one pass over memory less. Element-wise operations, reductions and
 * further products read it as they read a c-order array (same values); code that needs the c-order buffer layout
 * ({@code data()}, reshapes) calls {@code dup('c')}.
 *
 * <p>Writing a product straight into a c-order array would also save the copy but makes BLAS compute the transposed
 * product, whose sums are rounded in another order: results would change in the last bits.
 */
public final class Gemm {
    private Gemm() {
    }

    /** {@code op(a) op(b)} as a new f-order array (in the current workspace, if any). */
    public static INDArray product(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        long rows = transposeA ? a.size(1) : a.size(0);
        long cols = transposeB ? b.size(0) : b.size(1);
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {rows, cols}, 'f');
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
        return c;
    }

    /** {@code a b} as a new f-order array. */
    public static INDArray product(INDArray a, INDArray b) {
        return product(a, b, false, false);
    }
}
