/**
 * Neural-network building blocks on plain ND4J: a multi-layer perceptron whose parameters live in one flat
 * vector ({@link org.cllab.core.nn.Mlp}), a masked softmax cross-entropy, and optimisers that update flat
 * vectors. Flat parameters make regularisers (EWC, SI, ...) small functions of two vectors. Gradients are
 * written by hand and guarded by a finite-difference test ({@code MlpGradientCheckTest}). Products go through
 * {@link org.cllab.core.nn.Gemm} (direct OpenBLAS calls via {@link org.cllab.core.nn.CpuBlas} on the CPU backend);
 * work outside ND4J is split over the run's thread budget with {@link org.cllab.core.nn.CpuThreads}.
 */
package org.cllab.core.nn;
