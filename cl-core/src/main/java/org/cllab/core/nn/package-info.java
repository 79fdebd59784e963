/**
 * Neural-network building blocks on plain ND4J: a multi-layer perceptron whose parameters live in one flat
 * vector ({@link org.cllab.core.nn.Mlp}), a masked softmax cross-entropy, and optimisers that update flat
 * vectors. Flat parameters make regularisers (EWC, SI, ...) small functions of two vectors. Gradients are
 * written by hand and guarded by a finite-difference test ({@code MlpGradientCheckTest}).
 */
package org.cllab.core.nn;
