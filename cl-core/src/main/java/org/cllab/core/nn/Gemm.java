package org.cllab.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
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
        if (!direct(a, b, c, transposeA, transposeB)) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
        }
        return c;
    }

    /**
     * {@code c = op(a) op(b)} as one direct {@code cblas_sgemm} call ({@link CpuBlas}) when possible: float
     * matrices with a unit stride in one dimension (row- or column-major, any leading dimension), not vectors (ND4J
     * may compute those as matrix-vector products), {@code c} a fresh f-order matrix. These are the arguments ND4J's
     * matmul passes to the same function for such inputs, so the result is the same bit for bit ({@code GemmTest});
     * what it saves is ND4J's per-call dispatch (tens of microseconds, a few percent of a small-network step).
     *
     * @return false when the call was not made (the caller uses {@code Nd4j.gemm})
     */
    static boolean direct(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        if (!CpuBlas.available() || a.dataType() != DataType.FLOAT || b.dataType() != DataType.FLOAT
                || a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            return false;
        }
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (transposeA ? a.size(0) : a.size(1));
        if (m < 2 || n < 2 || k < 2) {
            return false;
        }
        long ldA = leadingDim(a);
        long ldB = leadingDim(b);
        if (ldA == 0 || ldB == 0 || Math.abs(ldA) > Integer.MAX_VALUE || Math.abs(ldB) > Integer.MAX_VALUE) {
            return false;
        }
        // BLAS sees column-major storage: a matrix stored row-major is its transpose there, so op(X) flips the flag
        boolean tA = transposeA ^ (ldA < 0);
        boolean tB = transposeB ^ (ldB < 0);
        CpuBlas.sgemm(tA, tB, m, n, k, 1f, CpuBlas.pointer(a), (int) Math.abs(ldA), CpuBlas.pointer(b),
                (int) Math.abs(ldB), 0f, CpuBlas.pointer(c), m);
        return true;
    }

    /**
     * Leading dimension of a matrix without size-1 dimensions: {@code ld > 0} column-major (element (i, j) at
     * {@code i + j ld}), {@code -ld < 0} row-major (at {@code i ld + j}), 0 neither (no unit stride, or overlapping).
     */
    private static long leadingDim(INDArray x) {
        long s0 = x.stride(0);
        long s1 = x.stride(1);
        if (s1 == 1 && s0 >= x.size(1)) {
            return -s0;
        }
        if (s0 == 1 && s1 >= x.size(0)) {
            return s1;
        }
        return 0;
    }

    /** {@code a b} as a new f-order array. */
    public static INDArray product(INDArray a, INDArray b) {
        return product(a, b, false, false);
    }
}
