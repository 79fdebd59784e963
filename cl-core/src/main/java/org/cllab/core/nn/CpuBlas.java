package org.cllab.core.nn;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Direct single-precision GEMM calls into the OpenBLAS that ND4J's CPU backend ({@code nd4j-native}) loads, for hot
 * loops made of many small products: {@code Nd4j.gemm} costs tens of microseconds per call in checks and dispatch,
 * a direct call about one. Looked up reflectively, so the module builds and runs without OpenBLAS (the CUDA profile):
 * {@link #available()} is then false and callers use ND4J. {@code -Dcllab.cpublas=false} turns it off (to compare).
 *
 * <p>OpenBLAS runs a product single-threaded when {@code m n k} is at most {@link #SINGLE_THREAD_MNK} (OpenBLAS's
 * {@code SMP_THRESHOLD_MIN x GEMM_MULTITHREAD_THRESHOLD} = 65536 x 4 in the bundled 0.3.19), so several Java threads
 * can run such products side by side. Products of other shapes sum in another order than one large product:
 * their results may differ from it in the last bit.
 */
public final class CpuBlas {
    /** Largest {@code m n k} OpenBLAS 0.3.19 runs on the calling thread alone. */
    public static final long SINGLE_THREAD_MNK = 65536L * 4;
    private static final int COL_MAJOR = 102;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final MethodHandle SGEMM = lookup();

    private CpuBlas() {
    }

    private static MethodHandle lookup() {
        if (!Boolean.parseBoolean(System.getProperty("cllab.cpublas", "true"))) {
            return null;
        }
        try {
            if (!"CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName())) {
                return null;
            }
            Class<?> c = Class.forName("org.bytedeco.openblas.global.openblas_nolapack");
            return MethodHandles.publicLookup().findStatic(c, "cblas_sgemm", MethodType.methodType(void.class,
                    int.class, int.class, int.class, int.class, int.class, int.class, float.class,
                    FloatPointer.class, int.class, FloatPointer.class, int.class, float.class,
                    FloatPointer.class, int.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * A pointer to element (0, 0) of {@code x}'s buffer (a view's buffer pointer already includes the view's offset).
     * It does not keep {@code x} alive: the caller holds {@code x} while the pointer is in use.
     */
    public static FloatPointer pointer(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }

    /** Whether direct calls are possible (CPU backend with OpenBLAS on the class path, not turned off). */
    public static boolean available() {
        return SGEMM != null;
    }

    /**
     * Column-major {@code C = alpha op(A) op(B) + beta C} ({@code cblas_sgemm}); pointers positioned at the matrices'
     * first elements.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a,
                             int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (SGEMM == null) {
            throw new IllegalStateException("direct OpenBLAS calls are not available (check CpuBlas.available())");
        }
        try {
            SGEMM.invokeExact(COL_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda,
                    b, ldb, beta, c, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
