/**
 * ICM-LoRA (Shao et al., "In-Context Meta LoRA Generation", IJCAI 2025): a frozen base MLP with rank-r LoRA adapters
 * ({@link org.cllab.hypernets.generators.icmlora.LoraMlp}), task vectors from the last hidden layer, and a conditional
 * VAE that generates a task's adapter from its task vector, as a continual learner with weight-space generative
 * replay ({@link org.cllab.hypernets.generators.icmlora.IcmLoraLearner}).
 */
package org.cllab.hypernets.generators.icmlora;
