/**
 * Meta-RTL (Fu et al., "Meta-RTL: Reinforcement-Based Meta-Transfer Learning for Low-Resource Commonsense
 * Reasoning", arXiv 2409.19075), moved from BERT/ALBERT on commonsense QA to MLPs on images with controlled source
 * relatedness ({@code scenario.type: multi-source}). The abstract fixes: multi-source meta-transfer, source weights
 * estimated by reinforcement learning, reward = the meta model's target loss minus each source-specific temporal
 * model's, an LSTM policy across meta-iterations. Everything else here is our reconstruction and says so: the
 * policies ({@link org.cllab.meta.rtl.LstmPolicy}, the memoryless {@link org.cllab.meta.rtl.MlpPolicy}), their
 * REINFORCE step ({@link org.cllab.meta.rtl.Reinforce}) and the learner.
 */
package org.cllab.meta.rtl;
