/**
 * Weight-space generative models shared by the weight-generating learners (ICM-LoRA, and D2NWG where it fits): the
 * per-tensor normalisation of a collection of weight checkpoints ({@link org.cllab.hypernets.generators.TensorZScore})
 * and a conditional VAE over flat weight vectors with hand-derived gradients
 * ({@link org.cllab.hypernets.generators.Cvae}).
 */
package org.cllab.hypernets.generators;
